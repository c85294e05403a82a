"""The answer save's ceiling: closed loop, warm caches, CPU per save by process.

    .venv/bin/python bench/bench_exam_save_max.py --clients 16 --seconds 15 --workers 2 [--redis]

``--clients`` officers (each with an open attempt and a session, made as in
``bench_exam_day.py``) save answers back to back through gunicorn (sync workers) for
``--seconds``. Every officer's paper and credentials are cached by every worker after a few
saves, which is what a long exam looks like after its first minutes; ``bench_exam_day.py``
measures the cold start (most saves in its short window are an officer's first on that worker).

Prints saves/s, p50/p95 and the CPU per save of the gunicorn workers, PostgreSQL, the load
generator and the whole machine (from /proc), so the budget of one save is visible.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_exam_day as day  # noqa: E402


def _pids(needle: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if needle.encode() in f.read():
                        found.append(pid)
            except OSError:
                pass
    return found


def _cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _machine_cpu_seconds() -> float:
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf(
        "SC_CLK_TCK"
    )  # all but idle and iowait


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--redis", action="store_true", help=f"REDIS_URL={day.REDIS_URL}: cache-backed sessions"
    )
    parser.add_argument("--port", type=int, default=18010)
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = day.REDIS_URL
    day.ensure_database(quiet=True)
    day.django_setup()
    server = subprocess.Popen(
        [
            str(day.ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--pythonpath",
            "site,.",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--backlog",
            "4096",
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=day.ROOT,
        env=day.env_for_server(args.port),
    )
    try:
        exam, sessions = day.prepare(args.clients, "m" + os.urandom(2).hex())
        attempts = day.prestart(exam, [oid for oid, _ in sessions])
        from django.db import connection

        connection.close()
        time.sleep(4)
        day.run_loop(_run(args, server, sessions, attempts))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        if args.redis:
            day.forget_redis_sessions()


async def _run(args, server, sessions, attempts):
    port = args.port
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def officer(oid, key, end_at, seq0):
        attempt = attempts[oid]
        seq = seq0
        while time.perf_counter() < end_at:
            seq += 1
            items = attempt.items()
            item = items[seq % len(items)]
            status, _body, elapsed, _retry_after = await day.http(
                port,
                "POST",
                f"/api/exams/attempts/{attempt.pk}/answers/",
                key,
                {"item": item.item, "response": (item.options or ("T",))[0], "seq": seq},
            )
            if seq0 > 0:  # the warm-up is not counted
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)

    # Warm up: a few seconds of the same load fills every worker's caches.
    await asyncio.gather(*(officer(oid, key, time.perf_counter() + 3, 0) for oid, key in sessions))
    workers = [pid for pid in _pids("gunicorn") if pid != str(server.pid)]
    postgres = _pids("postgres")
    before = (
        _cpu_seconds(workers),
        _cpu_seconds(postgres),
        resource.getrusage(resource.RUSAGE_SELF),
        _machine_cpu_seconds(),
    )
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    await asyncio.gather(
        *(officer(oid, key, t0 + args.seconds, 1_000_000) for oid, key in sessions)
    )
    elapsed = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    n = len(latencies)
    client = own.ru_utime - before[2].ru_utime + own.ru_stime - before[2].ru_stime
    print(
        f"clients={args.clients} workers={args.workers} sessions={'cached_db (Redis)' if args.redis else 'db'}: "
        f"{n / elapsed:.0f} saves/s  p50={day.pct(latencies, 50):.1f} ms p95={day.pct(latencies, 95):.1f} ms  statuses={statuses}\n"
        f"  CPU per save: gunicorn workers {1000 * (_cpu_seconds(workers) - before[0]) / n:.2f} ms, "
        f"PostgreSQL {1000 * (_cpu_seconds(postgres) - before[1]) / n:.2f} ms, load generator {1000 * client / n:.2f} ms, "
        f"whole machine {1000 * (_machine_cpu_seconds() - before[3]) / n:.2f} ms  "
        f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)",
        flush=True,
    )


if __name__ == "__main__":
    main()
