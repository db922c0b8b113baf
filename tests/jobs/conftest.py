"""Real jobs for the fault tests: a Celery worker and beat in subprocesses, and a private Redis.

The worker is another process, so these tests are transactional (it must see committed rows)
and this process sends tasks to Redis for real instead of running them eagerly. The worker runs
kzlearn.settings (jobs not eager) against this session's test database, with the sweeper tuned
to seconds. Every process started here is stopped here; the shared Redis is never stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from kzlearn.celery import app as celery_app
from tests.jobs.support import wait_until

ROOT = Path(__file__).resolve().parents[2]
SWEEP_AFTER_SECONDS = 4
# Keys the Redis transport keeps a queue in; purged before a worker starts so no message from an
# earlier run (e.g. one a killed worker left unacked) reaches this one.
QUEUE_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A private redis-server on a free port, without persistence: a restart loses every queued message."""

    def __init__(self, workdir: Path):
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.port, self.workdir, self.proc = free_port(), workdir, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self.workdir)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_until(lambda: self._pings(client), timeout=10, what=lambda: f"private redis-server on port {self.port} did not start")

    @staticmethod
    def _pings(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class CeleryProcess:
    """`celery -A kzlearn <args>` in its own process group, logging to a file; killable like a crash."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path, ready: str):
        self.name, self.args, self.env, self.log, self.ready = name, args, env, log, ready
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts + 1} of {self.name} =====\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "kzlearn", *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        wait_until(
            lambda: self.ready in self.log.read_text(errors="replace")[offset:] or self.proc.poll() is not None,
            timeout=60,
            what=lambda: f"{self.name} did not start",
            logs=self.tail,
        )
        if self.proc.poll() is not None:
            pytest.fail(f"{self.name} exited with {self.proc.returncode}\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (main process and pool children): no shutdown, no acks."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def children(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return f"--- {self.name} log ({self.log}) ---\n" + "\n".join(text[-lines:])


class Jobs:
    """A worker and beat consuming from one Redis, with this process sending tasks there."""

    def __init__(self, broker_url: str, workdir: Path, extra_env: dict[str, str] | None = None):
        db = connection.settings_dict
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kzlearn.settings",
            "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "KZL_SCORE_SWEEP_EVERY_SECONDS": "1",
            "KZL_SCORE_SWEEP_AFTER_SECONDS": str(SWEEP_AFTER_SECONDS),
            "KZL_OVERDUE_EVERY_SECONDS": "3600",
            "KZL_STATISTICS_EVERY_SECONDS": "3600",
            "DJANGO_LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        node = f"kzl-test-{uuid.uuid4().hex[:8]}@%h"
        self.worker = CeleryProcess(
            "worker",
            [
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "-n",
                node,
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            env,
            workdir / "worker.log",
            ready=" ready.",
        )
        self.beat = CeleryProcess(
            "beat",
            ["beat", "-s", str(workdir / "beat-schedule"), "--max-interval", "1", "--loglevel=INFO"],
            env,
            workdir / "beat.log",
            ready="beat: Starting",
        )
        self.broker_url = broker_url

    def start(self) -> None:
        client = redis.Redis.from_url(self.broker_url)
        client.delete(*QUEUE_KEYS)
        self.worker.start()
        self.beat.start()

    def stop(self) -> None:
        self.worker.stop()
        self.beat.stop()

    def logs(self) -> str:
        return f"{self.worker.tail()}\n{self.beat.tail()}"


def _send_tasks_to(url: str, *, eager: bool = False) -> None:
    """Point this process's Celery app at the broker `url`, sending for real unless `eager`.

    Dropping the app's pool references is enough: kombu keeps one pool per broker URL, reused later."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.update(broker_url=url, task_always_eager=eager)


@pytest.fixture
def jobs(transactional_db, services_required, settings, tmp_path):
    """start(broker_url=None, **env) -> Jobs: a real worker and beat on that Redis (default: REDIS_URL), tasks
    sent there; `env` adds to the processes' environment (settings such as KZL_STATISTICS_BATCH).

    Depends on transactional_db, so the processes stop before the database is flushed."""
    started: list[Jobs] = []
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager

    def start(broker_url: str | None = None, **env: str) -> Jobs:
        url = broker_url or settings.REDIS_URL
        settings.REDIS_URL, settings.JOBS_IN_PROCESS = url, False
        _send_tasks_to(url)
        stack = Jobs(url, tmp_path, env)
        started.append(stack)
        stack.start()
        return stack

    yield start
    for stack in started:
        stack.stop()
    _send_tasks_to(saved[0], eager=saved[1])


@pytest.fixture
def private_redis(services_required, tmp_path):
    """A redis-server of our own on a free port, which a test may stop and start (never the shared one)."""
    server = RedisServer(tmp_path)
    if not Path(server.binary).exists():
        if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.stop()
