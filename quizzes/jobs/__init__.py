"""Long teacher jobs (generate questions, recompute statistics) run in the background with progress."""
