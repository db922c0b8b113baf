"""How the app is served (docs/operations.md#serving): gunicorn with the project's gunicorn.conf.py gives
each worker a listening socket of its own, so the kernel spreads a class's connections among the workers
(the WSGI module's freeze of the loaded app: tests/perf/test_heap.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _listeners(port: int) -> int:
    """How many TCP sockets listen on 127.0.0.1:`port` (LISTEN is state 0A in /proc/net/tcp)."""
    wanted = f"0100007F:{port:04X}"
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[1] == wanted and row.split()[3] == "0A")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_with_the_project_config_gives_each_worker_its_own_socket(tmp_path):
    # Given gunicorn started from the project folder with two workers (the rest from gunicorn.conf.py)
    port = _free_port()
    env = os.environ | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-serving-key-not-secret-0123456789",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.sqlite3'}",
        "REDIS_URL": "",
    }
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kzlearn.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2) as reply:  # noqa: S310 - our own server
                    assert reply.status == 200
                    break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer /livez"
                time.sleep(0.3)
        while _listeners(port) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)  # the second worker may still be booting
        # Then two sockets listen on the port, one per worker (reuse_port), not one shared by both
        assert _listeners(port) == 2
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
