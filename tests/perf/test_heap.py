"""The gunicorn worker freezes the loaded app's objects (kzlearn/heap.py): full garbage collections in
the middle of a request then walk only what requests made, not the ~160,000 objects of the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json, sys
import kzlearn.wsgi
print(json.dumps({"frozen": gc.get_freeze_count(), "urlconf": "kzlearn.urls" in sys.modules, "admin": "quizzes.admin" in sys.modules}))
"""


def test_the_wsgi_module_freezes_the_app_with_its_urlconf_loaded():
    env = os.environ | {"DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["urlconf"] and probe["admin"], "views and admin imported before the freeze"
    assert probe["frozen"] > 50_000, probe
