"""gunicorn settings for serving KZLearn (docs/operations.md#serving): `gunicorn kzlearn.wsgi` run from the
project folder reads this file; `make bench` serves with it too (bench/load.py), so the benchmark measures
this layout. Command-line options win over it (`-w 5`, `--threads 8`, `-b 0.0.0.0:8000`).

Measured for issue 19 (bench/README.md, "Serving"): a request's work is mostly Python, so about one worker
process per core (cores + 1, so a core is not idle while a worker waits on PostgreSQL), each with a few
threads to overlap its database round trips; an idle keep-alive connection (a student reading a question)
holds no thread in gthread. `reuse_port`: each worker listens on its own SO_REUSEPORT socket and the
kernel spreads new connections evenly among them. With one shared socket a gthread worker accepts every
connection it is woken for, and in a class's burst of 300 one of three workers took 50-70 % of the work
(its Python on one core) while the others sat idle.
"""

import os

worker_class = "gthread"
workers = (os.cpu_count() or 1) + 1
threads = 4
# A student's connection stays open across their think time, as a proxy in front would keep it.
keepalive = 30
reuse_port = True
