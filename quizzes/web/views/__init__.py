"""Student pages, one module per part: pages (home, dashboard, sources), quiz, scenario, review, progress."""
