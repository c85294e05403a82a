"""The recommended gunicorn configuration (README, docs/DEPLOY.md, bench/bench_exam_day.py).

    .venv/bin/gunicorn -c gunicorn.conf.py          # from the project directory

- 2 sync workers per 2 cores (TECH-NOTES §4: sync beats gthread 2-3x here, and 2 workers beat
  4 once the exam caches are warm). ``GUNICORN_WORKERS`` overrides it.
- Two listening addresses: 8000 for everything, 8001 for the exam submits (the priority lane,
  ``GUNICORN_PRIORITY_BIND``; see below).
- ``preload_app``: the app (and jieba's dictionary) is loaded once in the master and shared
  copy-on-write.
- ``post_worker_init``: every worker, including one respawned mid-exam after a crash or a
  SIGKILL, loads the open attempts' papers, the examinees' credentials and the open exams'
  rules before it accepts a connection (``questions/exams/warmup.py``).
- Behind nginx (``deploy/nginx-fazhi.conf``), which buffers slow clients, stamps
  ``X-Request-Start`` for load shedding (``core/loadshed.py``) and keeps the listen queue short:
  a request that waited in front of the workers longer than ``FAZHI_SHED_QUEUE_MS`` is answered
  503 + ``Retry-After`` at once instead of being worked on after its client gave up.
"""

import os

wsgi_app = "config.wsgi"
pythonpath = "site,."
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# The priority lane: a second listening address served by the same workers. nginx sends the
# exam submits there (deploy/nginx-fazhi.conf, upstream fazhi_priority). A sync worker that
# listens on two sockets takes one connection from each ready socket in turn, so a submit waits
# behind at most about one request per worker, not behind the queue of admitted answer saves
# at a common deadline. Empty: no second address.
bind += [b for b in os.environ.get("GUNICORN_PRIORITY_BIND", "127.0.0.1:8001").split(",") if b]
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
preload_app = True
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
timeout = 60
graceful_timeout = 30
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# The client's address comes from nginx (X-Forwarded-For / X-Real-IP; see docs/DEPLOY.md).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Warm the exam-day caches before this worker takes traffic."""
    try:
        from questions.exams.warmup import warm_worker

        warmed = warm_worker()
    except Exception:  # noqa: BLE001 - a cold worker still works; say so and go on
        worker.log.exception("exam warm-up failed; this worker starts with empty caches")
        return
    worker.log.info("worker %s warmed: %s", worker.pid, warmed)
