"""In-process profile of one authenticated answer save (production settings + PostgreSQL).

    .venv/bin/python bench/profile_exam_save.py [--requests 2000] [--profile] [--redis]

Uses the exam-day benchmark's scratch database (``exams_bench``; created and migrated if
missing), makes one officer with a session and an open attempt, then calls the WSGI
application directly with the same request the exam page sends (session cookie, CSRF header,
JSON body). Prints CPU and wall time per save, the SQL statements one save runs, and with
``--profile`` the cProfile functions with the most cumulative time. ``--redis`` sets
REDIS_URL (database 15) so sessions are cache-backed, as in production with Redis.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import bench_exam_day as day  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)"
    )
    parser.add_argument("--redis", action="store_true", help="REDIS_URL=redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = day.REDIS_URL
    day.ensure_database(quiet=True)
    day.django_setup()

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    application = get_wsgi_application()
    exam, sessions = day.prepare(1, "p" + os.urandom(2).hex())
    oid, key = sessions[0]
    attempt = day.prestart(exam, [oid])[oid]
    items = attempt.items()
    path = f"/api/exams/attempts/{attempt.pk}/answers/"
    statuses: dict[int, int] = {}

    def call(seq: int):
        item = items[seq % len(items)]
        body = json.dumps(
            {"item": item.item, "response": (item.options or ("T",))[0], "seq": seq}
        ).encode()
        code = day.wsgi_request(application, "POST", path, key, body)
        statuses[code] = statuses.get(code, 0) + 1

    for seq in range(1, 51):  # warm up: imports, URL resolver, connection, paper cache
        call(seq)
    queries: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            queries.append(sql),
            execute(sql, params, many, context),
        )[1]
    ):
        call(51)
    n = args.requests
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for seq in range(52, 52 + n):
        call(seq)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(
        f"{n} saves: {cpu / n * 1000:.3f} ms CPU and {wall / n * 1000:.3f} ms wall per save (in process, "
        f"load average {os.getloadavg()[0]:.2f}); statuses {statuses}"
    )
    print(f"SQL statements per save: {len(queries)}")
    for sql in queries:
        print("   ", " ".join(sql.split())[:160])
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for seq in range(52 + n, 52 + 2 * n):
            call(seq)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(45)
        print(out.getvalue())


if __name__ == "__main__":
    main()
