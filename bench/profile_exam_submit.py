"""In-process profile of the officer's submit (production settings + PostgreSQL).

    .venv/bin/python bench/profile_exam_submit.py [--officers 200] [--profile] [--redis]

Uses the exam-day benchmark's scratch database and set-up (``bench_exam_day.prepare``): N
officers with sessions and open attempts, each of whose every question is answered through the
save endpoint first (not timed). Then every officer submits through the WSGI application, with
the request the exam page sends (``POST /api/exams/attempts/<id>/submit/``). Prints CPU and
wall time per submit, the SQL statements one submit runs, and with ``--profile`` the cProfile
functions with the most cumulative time.
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
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--redis", action="store_true", help=f"REDIS_URL={day.REDIS_URL}")
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = day.REDIS_URL
    day.ensure_database(quiet=True)
    day.django_setup()

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    application = get_wsgi_application()
    exam, sessions = day.prepare(args.officers, "s" + os.urandom(2).hex())
    attempts = day.prestart(exam, [oid for oid, _ in sessions])
    statuses: dict[tuple[str, int], int] = {}

    def call(kind: str, key: str, path: str, payload: dict | None):
        body = json.dumps(payload).encode() if payload is not None else b""
        code = day.wsgi_request(application, "POST", path, key, body)
        statuses[(kind, code)] = statuses.get((kind, code), 0) + 1

    for oid, key in sessions:  # answer every question (not timed)
        attempt = attempts[oid]
        for seq, item in enumerate(attempt.items(), start=1):
            call(
                "save",
                key,
                f"/api/exams/attempts/{attempt.pk}/answers/",
                {"item": item.item, "response": (item.options or ("T",))[0], "seq": seq},
            )

    def submit(oid, key):
        call("submit", key, f"/api/exams/attempts/{attempts[oid].pk}/submit/", None)

    submit(*sessions[0])  # warm-up
    queries: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            queries.append(sql),
            execute(sql, params, many, context),
        )[1]
    ):
        submit(*sessions[1])
    timed = sessions[2:]
    half = len(timed) // 2 if args.profile else len(timed)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for oid, key in timed[:half]:
        submit(oid, key)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = max(1, half)
    print(
        f"{n} submits of {len(attempts[sessions[0][0]].items())} questions: {cpu / n * 1000:.2f} ms CPU and "
        f"{wall / n * 1000:.2f} ms wall per submit (in process, load average {os.getloadavg()[0]:.2f}); "
        f"statuses {statuses}"
    )
    print(f"SQL statements per submit: {len(queries)}")
    for sql in queries:
        print("   ", " ".join(sql.split())[:160])
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for oid, key in timed[half:]:
            submit(oid, key)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(45)
        print(out.getvalue())


if __name__ == "__main__":
    main()
