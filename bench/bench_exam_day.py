"""Exam-day load benchmark: gunicorn (4 sync workers by default) + PostgreSQL on this machine, loopback only.

    .venv/bin/python bench/bench_exam_day.py --steps 1000,3000,6000,10000 --duration 30 [--redis]

``--redis`` runs the server as production with REDIS_URL does (cache-backed ``cached_db``
sessions; Redis database 15, whose ``fazhi:*`` keys the benchmark deletes at the end).

What it does, per step N (simulated examinees):

1. Setup (in process, not timed): a scratch PostgreSQL database ``exams_bench`` (migrated once,
   reused afterwards), N officers, one session per officer (the login form's PBKDF2 costs
   ~0.3 s of CPU per officer and is not the exam-day bottleneck, so sessions are pre-made:
   "log in" = a valid session cookie), an open monthly exam drawn from a 60-question bank.
2. ``--live`` of the N officers (default 100) go through the real HTTP flow: start, fetch the
   paper, save, submit. Their starts are spread over ``--spread`` seconds ("start within a
   few minutes", compressed); start and paper latencies are printed. ``--live N --spread S``
   with N equal to the step size measures a start storm: every officer starts over HTTP.
3. Every one of the N officers saves an answer every 10–30 s (uniform, real seconds), through
   the real authenticated save endpoint, for ``--duration`` seconds: an offered load of about
   N / 20 saves per second (10,000 officers ≈ 500 saves/s). The remaining officers' attempts
   are created in process before the step (starting 10,000 attempts over HTTP would take
   longer than the step itself on 2 cores, and the start path is measured by the live officers).
4. All attempts are submitted; then answers sent are compared with answers stored.

Prints requests/s, p50/p95/p99 of saves, errors, answers lost (sent vs stored; must be 0),
the load generator's own CPU (share of one core) and the largest N whose save p95 stays
under 200 ms. Rates are over the ``--duration`` window (the first save of each officer falls
in its first 20 s, so the offered load ramps up to about N / 20 saves/s). The client runs on
the same 2 cores as the server, so the figures are a lower bound for a separate load
generator. It opens one connection per request because gunicorn's sync workers close every
connection after the response (they have no keep-alive).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
DB_NAME = "exams_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
CSRF = "benchcsrf" + "x" * 23  # 32 characters: a valid unmasked CSRF secret
SECRET = "bench-" + secrets.token_hex(16)  # shared by the server and the session-making setup
REDIS_URL = "redis://127.0.0.1:6379/15"


def env_for_server(port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DB_URL,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_CONN_MAX_AGE="600",
        DJANGO_LOG_LEVEL="ERROR",
    )
    if not os.environ.get("REDIS_URL"):
        env.pop("REDIS_URL", None)
    return env


def ensure_database(quiet: bool = False) -> None:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",
                f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
            ],
            check=True,
            capture_output=True,
        )
    if not quiet:
        print("[setup] migrating exams_bench (first run takes a minute)…", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        env=env_for_server(0),
        check=True,
    )


def django_setup():
    # The load generator reads the database between phases only (never while timing).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ.update(
        {k: v for k, v in env_for_server(0).items() if k.startswith(("DJANGO", "DATABASE"))}
    )
    import django

    django.setup()


def prepare(n: int, run_id: str):
    """Bank, exam, N officers with sessions. Returns (exam_id, [(officer_id, session_key)])."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.cache import caches
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import Unit, User
    from accounts.roles import Role, assign_role
    from questions.exams.models import Exam, ExamSection
    from questions.models import Question
    from questions.services import question_create

    have = set(Question.objects.filter(source="bench").values_list("stem", flat=True))
    for i in range(40):
        if f"压测单选题{i}" not in have:
            question_create(
                stem=f"压测单选题{i}",
                qtype="single",
                options=["甲", "乙", "丙", "丁"],
                answer="ABCD"[i % 4],
                status="active",
                source="bench",
            )
    for i in range(20):
        if f"压测判断题{i}" not in have:
            question_create(
                stem=f"压测判断题{i}",
                qtype="true_false",
                answer="TF"[i % 2],
                status="active",
                source="bench",
            )
    Question.objects.filter(source="bench").update(status="active")
    unit = Unit.objects.filter(code="BENCH").first() or Unit.add_root(name="压测单位", code="BENCH")
    now = timezone.now()
    exam = Exam.objects.create(
        title=f"压测月考 {run_id}",
        kind="monthly",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
        time_limit_minutes=60,
        published=True,
    )
    ExamSection.objects.create(
        exam=exam, sort_order=0, qtype="single", count=20, points_each=4, label="单选题"
    )
    ExamSection.objects.create(
        exam=exam, sort_order=1, qtype="true_false", count=10, points_each=2, label="判断题"
    )
    password = make_password("bench-pass-123")
    users = [
        User(
            username=f"b{run_id}-{i}",
            police_number=f"B{run_id}{i:06d}",
            full_name=f"压测民警{i}",
            unit=unit,
            password=password,
        )
        for i in range(n)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(username__startswith=f"b{run_id}-").order_by("pk"))
    group = __import__("accounts.roles", fromlist=["group_for"]).group_for(Role.OFFICER)
    group.user_set.add(*users)
    # What a login leaves behind, made in bulk: a session row each and, with cache-backed
    # sessions, the cached copy the login's save writes too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    expiry = now + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions, rows, cached = [], [], {}
    for u in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(u.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": u.get_session_auth_hash(),
        }
        rows.append(model(session_key=key, session_data=store().encode(data), expire_date=expiry))
        if hasattr(store, "cache_key_prefix"):
            cached[store.cache_key_prefix + key] = data
        sessions.append((u.pk, key))
    model.objects.bulk_create(rows, batch_size=1000)
    if cached:
        caches[settings.SESSION_CACHE_ALIAS].set_many(cached, settings.SESSION_COOKIE_AGE)
    del assign_role
    return exam, sessions


def prestart(exam, officer_ids):
    """Attempts for the non-live officers, created in process with the real paper builder."""
    from django.utils import timezone

    from questions.engine.generate import derive_seed
    from questions.exams import services
    from questions.exams.models import Attempt

    now = timezone.now()
    seed0 = services.exam_seed(exam)
    pool_paper_cache = {}
    rows = []
    for oid in officer_ids:
        seed = derive_seed(seed0, oid, 1)
        paper = services.build_paper(exam, seed) if not pool_paper_cache else None
        if paper is not None and not pool_paper_cache:
            pool_paper_cache["layout"] = services.paper_to_json(paper)
        # Re-shuffle the same draw per officer cheaply: the draw itself is measured by live starts.
        layout = list(pool_paper_cache["layout"])
        random.Random(seed).shuffle(layout)
        rows.append(
            Attempt(
                exam=exam,
                officer_id=oid,
                number=1,
                seed=seed,
                paper=layout,
                section_labels=["单选题", "判断题"],
                max_score=100,
                created_at=now,
                started_at=now,
                deadline=now + timedelta(hours=1),
            )
        )
    Attempt.objects.bulk_create(rows, batch_size=1000)
    return {a.officer_id: a for a in Attempt.objects.filter(exam=exam, officer_id__in=officer_ids)}


async def http(port, method, path, session_key, body=None, stats=None):
    payload = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={session_key}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode()
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head + payload)
    await writer.drain()
    data = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - t0
    status_line, _, rest = data.partition(b"\r\n")
    status = int(status_line.split()[1]) if status_line else 0
    body_bytes = rest.partition(b"\r\n\r\n")[2]
    if stats is not None:
        stats["requests"] += 1
        if status >= 400 or status == 0:
            stats["errors"] += 1
            stats["error_samples"].append((path, status, body_bytes[:120]))
    try:
        parsed = json.loads(body_bytes) if body_bytes else {}
    except ValueError:
        parsed = {}
    return status, parsed, elapsed


async def officer_saves(port, session_key, attempt_id, items, end_at, stats, sent, seq_start=1):
    seq = seq_start
    rng = random.Random(attempt_id)
    await asyncio.sleep(min(rng.uniform(0, 20), max(0.0, end_at - time.perf_counter())))
    while time.perf_counter() < end_at:
        item = rng.choice(items)
        response = rng.choice(item["options"] or ["T", "F"])
        try:
            status, body, elapsed = await http(
                port,
                "POST",
                f"/api/exams/attempts/{attempt_id}/answers/",
                session_key,
                {"item": item["item"], "response": response, "seq": seq},
                stats,
            )
        except OSError:
            stats["errors"] += 1
            status, elapsed = 0, 0
        if status == 200:
            stats["save_latency"].append(elapsed)
            previous = sent.get((attempt_id, item["item"]))
            if previous is None or previous[0] < seq:
                sent[(attempt_id, item["item"])] = (seq, response)
        seq += 1
        await asyncio.sleep(min(rng.uniform(10, 30), max(0.0, end_at - time.perf_counter())))


async def live_officer(port, session_key, exam_id, spread, end_at, stats, sent):
    await asyncio.sleep(min(random.uniform(0, spread), max(0.0, end_at - time.perf_counter())))
    try:
        status, body, started = await http(
            port, "POST", f"/api/exams/{exam_id}/start/", session_key, {}, stats
        )
        if status != 200:
            return
        stats["start_latency"].append(started)
        attempt_id = body["attempt"]
        status, paper, elapsed = await http(
            port, "GET", f"/api/exams/attempts/{attempt_id}/", session_key, None, stats
        )
    except OSError:
        stats["errors"] += 1
        return
    stats["paper_latency"].append(elapsed)
    if status != 200:
        return
    items = [
        {"item": q["item"], "options": [o["key"] for o in q["options"]]} for q in paper["questions"]
    ]
    await officer_saves(port, session_key, attempt_id, items, end_at, stats, sent)


async def run_step(port, exam, sessions, attempts, live, duration, spread):
    stats = {
        "requests": 0,
        "errors": 0,
        "save_latency": [],
        "paper_latency": [],
        "start_latency": [],
        "error_samples": [],
    }
    sent: dict = {}
    # Warm both workers (imports, URLconf, first DB connection) before anything is timed.
    warm_oid, warm_key = sessions[-1]
    warm_path = (
        f"/api/exams/attempts/{attempts[warm_oid].pk}/" if warm_oid in attempts else "/api/laws/"
    )
    for _ in range(40):
        await http(port, "GET", warm_path, warm_key)
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    end_at = t0 + duration
    tasks = []
    for _oid, key in sessions[:live]:
        tasks.append(live_officer(port, key, exam.pk, spread, end_at, stats, sent))
    for oid, key in sessions[live:]:
        a = attempts[oid]
        items = [{"item": i.item, "options": list(i.options)} for i in a.items()]
        tasks.append(officer_saves(port, key, a.pk, items, end_at, stats, sent))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    stats["window_requests"] = stats["requests"]  # the submits below are not part of the rate
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stats["client_cpu"] = (cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime) / elapsed
    # Everyone submits.
    from questions.exams.models import Attempt

    ids = list(Attempt.objects.filter(exam=exam).values_list("pk", "officer_id"))
    keys = dict(sessions)
    sem = asyncio.Semaphore(32)

    async def submit(pk, oid):
        async with sem:
            for _attempt in range(3):  # a refused connection is retried, as the page would
                try:
                    await http(
                        port, "POST", f"/api/exams/attempts/{pk}/submit/", keys[oid], {}, stats
                    )
                    return
                except OSError:
                    await asyncio.sleep(1)

    await asyncio.gather(*(submit(pk, oid) for pk, oid in ids))
    return stats, sent, elapsed


def run_loop(coro):
    """asyncio.run, on uvloop when it is installed (``pip install uvloop``; it lowers the load
    generator's CPU per request, and the set-up line says which loop ran)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def lost_answers(exam, sent) -> int:
    """Acknowledged saves whose (seq, answer) is not what the database holds for that question."""
    from questions.exams.models import Attempt, AttemptAnswer

    item_of = {
        (a.pk, i.question_id): i.item
        for a in Attempt.objects.filter(exam=exam).only("id", "paper")
        for i in a.items()
    }
    stored = {
        (a, item_of[(a, q)]): (s, r)
        for a, q, s, r in AttemptAnswer.objects.filter(attempt__exam=exam).values_list(
            "attempt_id", "question_id", "seq", "response"
        )
    }
    lost = [(k, v, stored.get(k)) for k, v in sent.items() if stored.get(k) != v]
    for key, want, got in lost[:5]:
        print(f"    lost: attempt/item {key}: sent {want}, stored {got}")
    return len(lost)


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", default="500,1000,2000,4000")
    parser.add_argument("--duration", type=float, default=40, help="seconds of saving per step")
    parser.add_argument("--live", type=int, default=100, help="officers doing the full HTTP flow")
    parser.add_argument(
        "--spread", type=float, default=20, help="seconds over which live officers start"
    )
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="gunicorn sync workers (4: see docs/EXAMS.md, Measured)",
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help=f"REDIS_URL={REDIS_URL}: cache-backed sessions, as production with Redis",
    )
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = REDIS_URL
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the finally block stops gunicorn

    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is already in use: pick another with --port")
    ensure_database()
    django_setup()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
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
            "--timeout",
            "60",
            "--preload",
        ],
        cwd=ROOT,
        env=env_for_server(args.port),
    )
    from django.conf import settings

    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    print(
        f"[setup] gunicorn {args.workers} sync workers, sessions: {settings.SESSION_ENGINE}, client loop: {loop}",
        flush=True,
    )
    try:
        time.sleep(4)
        results = []
        for n in [int(x) for x in args.steps.split(",")]:
            run_id = secrets.token_hex(3)
            print(f"[step N={n}] preparing {n} officers…", flush=True)
            exam, sessions = prepare(n, run_id)
            live = min(args.live, n)
            attempts = prestart(exam, [oid for oid, _ in sessions[live:]])
            from django.db import connection

            connection.close()
            load_before = os.getloadavg()[0]
            stats, sent, elapsed = run_loop(
                run_step(args.port, exam, sessions, attempts, live, args.duration, args.spread)
            )
            lost = lost_answers(exam, sent)
            lat = stats["save_latency"]
            row = {
                "N": n,
                "rps": stats["window_requests"] / elapsed,
                "saves": len(lat),
                "saves_per_s": len(lat) / elapsed,
                "p50": pct(lat, 50),
                "p95": pct(lat, 95),
                "p99": pct(lat, 99),
                "errors": stats["errors"],
                "lost": lost,
                "paper_p95": pct(stats["paper_latency"], 95),
                "client_cpu": stats["client_cpu"],
                "starts": len(stats["start_latency"]),
                "start_p50": pct(stats["start_latency"], 50),
                "start_p95": pct(stats["start_latency"], 95),
            }
            results.append(row)
            print(
                f"N={n:>6}  req/s={row['rps']:7.1f}  saves={row['saves']:>6} ({row['saves_per_s']:.1f}/s)  "
                f"save p50={row['p50']:.1f} ms p95={row['p95']:.1f} ms p99={row['p99']:.1f} ms  "
                f"starts={row['starts']} (p50={row['start_p50']:.1f} ms p95={row['start_p95']:.1f} ms)  "
                f"paper p95={row['paper_p95']:.1f} ms  errors={row['errors']}  answers lost={lost}  "
                f"client CPU={row['client_cpu'] * 100:.0f}% of a core  "
                f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)",
                flush=True,
            )
            for sample in stats["error_samples"][:3]:
                print("    error sample:", sample)
        good = [r["N"] for r in results if r["p95"] < 200 and r["lost"] == 0]
        print(
            f"largest N with save p95 < 200 ms and 0 answers lost: {max(good) if good else 'none'}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        if args.redis:
            forget_redis_sessions()


def forget_redis_sessions() -> None:
    """Delete what the run put into the benchmark's Redis database (sessions, cache)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match="fazhi:*", count=1000))
    for i in range(0, len(keys), 1000):
        client.delete(*keys[i : i + 1000])


if __name__ == "__main__":
    main()
