"""The exam-day benchmark: a whole exam against the recommended stack on this machine.

    .venv/bin/python bench/bench_exam_day.py --officers 10000 --spread 420 --deadline 540
    .venv/bin/python bench/bench_exam_day.py --overload --officers 3000

Stack (the README's recommended configuration, all on 127.0.0.1): nginx from Debian with
``deploy/nginx-fazhi.conf`` → gunicorn with ``gunicorn.conf.py`` (``--workers`` sync workers,
warm-up in ``post_worker_init``) → PostgreSQL (database ``fazhi_examday_bench``) with Redis
(database 5: ``cached_db`` sessions, cache). Every figure line names the workers, the session
store and the machine load (load average and the whole machine's CPU use over the phase).

**The day** (default mode). Setup in process, not timed: a 60-question bank, an exam whose
window closes ``--deadline`` seconds after the run starts (the common deadline: every officer's
deadline is the window's close), N officers each with a session (what a login leaves).
Then, in real time:

1. Starts spread over ``--spread`` seconds (uniform): each officer POSTs start and GETs the
   paper over HTTP (every officer: this is the start storm).
2. Saves at the officers' pace: each officer answers a question every 10–30 s (uniform), so N
   officers offer about N/20 saves/s once all have started (10,000 → 500 saves/s).
3. The deadline: ``--self-submit`` of the officers submit on their own, at times spread so
   that the submits arrive at ``--submit-rate`` per second and the last one lands at the
   deadline; the others keep saving until a second before it and are closed by the sweep:
   two ``manage.py close_expired_attempts --every 5`` processes, as the exam-day service runs
   one per server (the lock lets one sweep each round). The figure is the time from the
   deadline until the database holds no open attempt of the exam.
4. Halfway to the deadline one gunicorn worker is killed with SIGKILL (``--no-kill`` to skip).

The client is a true open loop for what officers do: every answer is given at its scheduled
time whether or not earlier requests have answered, so saturation shows as latency and as
acknowledgement delay. Answers are sent as the exam page sends them (``--client page``,
``static/js/exam-save.js``, the ``Page`` class): one request at a time per page, the answers
given meanwhile together in the next request (``answers/batch/``); a refused or failed request
(503, 502, a reset connection) is re-sent after max(Retry-After, 1 s) plus a random jitter of
up to 2, 4, … 30 s. ``--client answer`` sends one request per answer at once, each retried on
its own (the earlier page, or a naive client). Start, paper and submit are one request each,
retried the same way. Percentiles are over every request of a kind (retries included), not a
sample; the acknowledgement delay runs from the moment an answer was given to the 200 of a
request that carried it.

Answers lost = acknowledged saves whose (seq, answer) is not what the database holds at the
end (must be 0). Unacknowledged = answers still not acknowledged when the run ended.

**Overload** (``--overload``): N officers with open attempts; first the warm save ceiling (a
closed loop of 16 clients for ``--ceiling-seconds``), then saves offered open-loop at
``--factor`` × that ceiling for ``--overload-seconds``, then only the retries until every
answer is acknowledged (at most ``--drain-seconds``). Prints offered/s, served/s and
served/ceiling, the acknowledgement delay (p50/p95/max) and answers never acknowledged.

Wrap every run in ``flock /tmp/fazhi-bench.lock …``: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT), str(ROOT / "bench")]
DB_NAME = "fazhi_examday_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
CSRF = "benchcsrf" + "x" * 23  # 32 characters: a valid unmasked CSRF secret
SECRET = "bench-" + secrets.token_hex(16)  # shared by the server and the session-making setup
REDIS_URL = "redis://127.0.0.1:6379/5"


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
        print(f"[setup] migrating {DB_NAME} (first run takes a minute)…", flush=True)
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


def prepare(n: int, run_id: str, opens_in=-60, closes_in=7200, time_limit_minutes=60):
    """Bank, exam, N officers with sessions. Returns (exam, [(officer_id, session_key)]).

    The exam opens ``opens_in`` seconds from now and closes ``closes_in`` seconds from now
    (the common deadline when the time limit is longer than the window)."""
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
        opens_at=now + timedelta(seconds=opens_in),
        closes_at=now + timedelta(seconds=closes_in),
        time_limit_minutes=time_limit_minutes,
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


def _loop_name() -> str:
    try:
        import uvloop
    except ImportError:
        return "asyncio loop"
    return f"uvloop {uvloop.__version__}"


def run_loop(coro):
    """asyncio.run, on uvloop when it is installed (``pip install uvloop``; it lowers the load
    generator's CPU per request, and the set-up line says which loop ran)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


async def http(port, method, path, session_key, body=None):
    """One request on a new connection: (status, parsed JSON body, seconds, Retry-After)."""
    payload = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={session_key}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode()
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + payload)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    elapsed = time.perf_counter() - t0
    header_bytes, _, body_bytes = data.partition(b"\r\n\r\n")
    lines = header_bytes.split(b"\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0] else 0
    retry_after = 0.0
    for line in lines[1:]:
        if line.lower().startswith(b"retry-after:"):
            try:
                retry_after = float(line.split(b":", 1)[1])
            except ValueError:
                pass
    try:
        parsed = json.loads(body_bytes) if body_bytes else {}
    except ValueError:
        parsed = {}
    return status, parsed, elapsed, retry_after


def wsgi_request(application, method: str, path: str, session_key: str, body: bytes = b"") -> int:
    """Call a WSGI application in process with the request the exam page sends (session
    cookie, CSRF header, JSON body); returns the status code. For the profile scripts."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session_key}; csrftoken={CSRF}",
        "HTTP_X_CSRFTOKEN": CSRF,
        "CONTENT_TYPE": "application/json",
        "HTTP_ACCEPT": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    result = []
    chunks = application(environ, lambda status, headers, exc_info=None: result.append(status))
    b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return int(result[0].split()[0])


class Stats:
    def __init__(self):
        self.latency = {"save": [], "start": [], "paper": [], "submit": []}
        self.statuses: dict[tuple[str, int], int] = {}
        self.acked: dict = {}  # (attempt, question) -> (seq, response), newest acknowledged
        self.ack_delay: list[float] = []
        self.ack_times: list[float] = []  # perf_counter of each acknowledgement
        self.offered_times: list[float] = []
        self.unacked = 0
        self.retries = 0
        self.in_flight = 0
        self.batch_sizes: list[int] = []  # answers per save request (page client)
        self.pages: list[Page] = []
        self.events: list[tuple[float, str, int, float]] = []  # (answered at, kind, status, s)
        self.t0 = time.perf_counter()

    def record(self, kind, status, elapsed):
        self.latency[kind].append(elapsed)
        self.statuses[(kind, status)] = self.statuses.get((kind, status), 0) + 1
        self.events.append((time.perf_counter(), kind, status, elapsed))


def print_timeline(stats, t0, window=30.0):
    """Per window of the run: requests answered by kind, how many were refused (503/502/0),
    and the p95 of the saves answered 200 in it, so the moment saturation starts is visible."""
    print(f"  timeline ({window:.0f} s windows; t from the first start): ", flush=True)
    rows: dict[int, list] = {}
    for at, kind, status, elapsed in stats.events:
        rows.setdefault(int((at - t0) // window), []).append((kind, status, elapsed))
    for w in sorted(rows):
        events = rows[w]
        counts = {}
        for kind, _status, _e in events:
            counts[kind] = counts.get(kind, 0) + 1
        refused = sum(1 for _k, st, _e in events if st in (0, 502, 503, 504))
        ok_saves = [e for k, st, e in events if k == "save" and st == 200]
        submits = [e for k, _st, e in events if k == "submit"]
        text = " ".join(f"{k}={counts[k] / window:.0f}/s" for k in sorted(counts))
        tail = (
            f"  submit p95={pct(submits, 95):.0f} ms max={max(submits) * 1000:.0f} ms"
            if submits
            else ""
        )
        print(
            f"    t={w * window:4.0f}–{(w + 1) * window:4.0f} s  {text}  refused={refused / window:.0f}/s"
            f"  save p95={pct(ok_saves, 95):.0f} ms{tail}",
            flush=True,
        )


def backoff(tries: int, retry_after: float) -> float:
    """The exam page's retry delay (static/js/exam-save.js: BACKOFF_CAP)."""
    cap = min(30.0, 2.0 * 2 ** min(tries - 1, 5))
    return max(retry_after, 1.0) + random.random() * cap


BATCH_MAX = 200  # questions.exams.services.SAVE_BATCH_MAX, exam-save.js BATCH_MAX


class Page:
    """One officer's exam page sending answers as ``static/js/exam-save.js`` does.

    Answers are given on the benchmark's schedule (open loop) and kept as pending; the page has
    at most one request on its way, and whatever piled up while it waited goes in the next one
    (``answers/`` for one answer, ``answers/batch/`` for several). A refused or failed request
    (503, 502, a reset connection) is re-sent after ``backoff``. Every answer's
    acknowledgement delay runs from the moment it was given to the 200 of a request that
    carried it (or a newer answer to the same question)."""

    def __init__(self, port, key, attempt_id, stats, give_up_at, tasks):
        self.port, self.key, self.attempt_id = port, key, attempt_id
        self.stats, self.give_up_at, self.tasks = stats, give_up_at, tasks
        self.pending: dict[str, tuple[int, object]] = {}  # item -> (seq, response) to send
        self.waiting: dict[str, list[tuple[int, float]]] = {}  # item -> [(seq, given at)]
        self.busy = False  # a request on its way, or a backoff running
        self.failures = 0
        self.closed = False

    def answer(self, qid, response, seq):
        now = time.perf_counter()
        self.stats.offered_times.append(now)
        self.waiting.setdefault(qid, []).append((seq, now))
        self.pending[qid] = (seq, response)
        if not self.busy and not self.closed:
            self.busy = True
            self.tasks.append(asyncio.ensure_future(self._run()))

    def unacked(self) -> int:
        return sum(len(v) for v in self.waiting.values())

    async def _run(self):
        stats = self.stats
        try:
            while self.pending and not self.closed:
                sent = dict(list(self.pending.items())[:BATCH_MAX])
                single = len(sent) == 1
                base = f"/api/exams/attempts/{self.attempt_id}/answers/"
                if single:
                    ((qid, (seq, response)),) = sent.items()
                    path, body = base, {"item": qid, "response": response, "seq": seq}
                else:
                    path = base + "batch/"
                    body = {
                        "answers": [
                            {"item": q, "response": r, "seq": n} for q, (n, r) in sent.items()
                        ]
                    }
                try:
                    status, data, elapsed, retry_after = await http(
                        self.port, "POST", path, self.key, body
                    )
                except OSError:
                    status, data, elapsed, retry_after = 0, {}, 0.0, 0.0
                stats.record("save", status, elapsed)
                stats.batch_sizes.append(len(sent))
                if status == 200:
                    self.failures = 0
                    results = [data] if single else data.get("results", [])
                    self._settle(sent, results)
                    continue
                if status == 409:  # closed (the deadline): nothing more to send
                    self.closed = True
                    self.pending.clear()
                    self.waiting.clear()
                    break
                if status == 400:
                    for qid in sent:
                        self._drop(qid, sent[qid][0])
                    continue
                if time.perf_counter() >= self.give_up_at:
                    break
                self.failures += 1
                stats.retries += 1
                await asyncio.sleep(backoff(self.failures, retry_after))
        finally:
            self.busy = False

    def _drop(self, qid, seq):
        if qid in self.pending and self.pending[qid][0] == seq:
            del self.pending[qid]
        self.waiting[qid] = [(n, t) for n, t in self.waiting.get(qid, []) if n > seq]

    def _settle(self, sent, results):
        now = time.perf_counter()
        stats = self.stats
        for r in results:
            qid = r.get("item")
            if qid not in sent:
                continue
            seq, response = sent[qid]
            if "error" in r:
                self._drop(qid, seq)
                continue
            if qid in self.pending and self.pending[qid][0] <= seq:
                del self.pending[qid]
            keep = []
            for n, given in self.waiting.get(qid, []):
                if n <= seq:
                    stats.ack_delay.append(now - given)
                    stats.ack_times.append(now)
                else:
                    keep.append((n, given))
            self.waiting[qid] = keep
            previous = stats.acked.get((self.attempt_id, qid))
            if previous is None or previous[0] < seq:
                stats.acked[(self.attempt_id, qid)] = (seq, response)


async def call(port, kind, method, path, key, body, stats, give_up_at):
    """A request retried as the exam page retries it; returns (status, body) of the last try."""
    tries = 0
    while True:
        try:
            status, data, elapsed, retry_after = await http(port, method, path, key, body)
        except OSError:
            status, data, elapsed, retry_after = 0, {}, 0.0, 0.0
        stats.record(kind, status, elapsed)
        if status not in (0, 502, 503, 504) or time.perf_counter() >= give_up_at:
            return status, data
        tries += 1
        stats.retries += 1
        await asyncio.sleep(backoff(tries, retry_after))


async def save(port, key, attempt_id, qid, response, seq, stats, give_up_at):
    first = time.perf_counter()
    stats.offered_times.append(first)
    stats.in_flight += 1
    try:
        status, data = await call(
            port,
            "save",
            "POST",
            f"/api/exams/attempts/{attempt_id}/answers/",
            key,
            {"item": qid, "response": response, "seq": seq},
            stats,
            give_up_at,
        )
    finally:
        stats.in_flight -= 1
    if status == 200:
        now = time.perf_counter()
        stats.ack_delay.append(now - first)
        stats.ack_times.append(now)
        previous = stats.acked.get((attempt_id, qid))
        if previous is None or previous[0] < seq:
            stats.acked[(attempt_id, qid)] = (seq, response)
    elif status in (0, 502, 503, 504):
        stats.unacked += 1


async def officer_day(
    port, key, exam_id, t0, arrive, submit_at, last_save, stats, tasks, client="page"
):
    """One officer: start, paper, saves every 10-30 s (open loop), own submit or the sweep."""
    rng = random.Random()
    await asyncio.sleep(max(0.0, t0 + arrive - time.perf_counter()))
    give_up = t0 + last_save + 120
    status, body = await call(
        port, "start", "POST", f"/api/exams/{exam_id}/start/", key, {}, stats, give_up
    )
    if status != 200:
        return
    attempt_id = body["attempt"]
    status, paper = await call(
        port, "paper", "GET", f"/api/exams/attempts/{attempt_id}/", key, None, stats, give_up
    )
    if status != 200:
        return
    items = [
        (q["item"], [o["key"] for o in q["options"]] or ["T", "F"]) for q in paper["questions"]
    ]
    end = t0 + (submit_at if submit_at is not None else last_save)
    at = time.perf_counter() + rng.uniform(10, 30)
    seq = 0
    page = None
    if client == "page":
        page = Page(port, key, attempt_id, stats, t0 + last_save + 60, tasks)
        stats.pages.append(page)
    while at < end:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        qid, options = rng.choice(items)
        seq += 1
        if page is not None:  # open loop: given now; sent now or with the page's next request
            page.answer(qid, rng.choice(options), seq)
            at += rng.uniform(10, 30)
            continue
        # One request per answer, sent now whether or not the previous one has answered.
        tasks.append(
            asyncio.ensure_future(
                save(
                    port, key, attempt_id, qid, rng.choice(options), seq, stats, t0 + last_save + 60
                )
            )
        )
        at += rng.uniform(10, 30)
    if submit_at is not None:
        await asyncio.sleep(max(0.0, t0 + submit_at - time.perf_counter()))
        await call(
            port,
            "submit",
            "POST",
            f"/api/exams/attempts/{attempt_id}/submit/",
            key,
            {},
            stats,
            t0 + submit_at + 60,
        )


class MachineLoad:
    """Load average and the whole machine's CPU use between two marks."""

    def __init__(self):
        self.mark()

    @staticmethod
    def _cpu():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), sum(values) - values[3] - values[4]

    def mark(self):
        self.load0 = os.getloadavg()[0]
        self.cpu0 = self._cpu()

    def text(self):
        total, busy = self._cpu()
        share = (busy - self.cpu0[1]) / max(1, total - self.cpu0[0])
        return (
            f"load average {self.load0:.1f}→{os.getloadavg()[0]:.1f}, machine CPU busy "
            f"{share * 100:.0f}% of {os.cpu_count()} cores"
        )


def settle_earlier_runs() -> None:
    """Close and record what earlier runs left in the scratch database (their attempts past the
    deadline, their answers due in practice state), before anything is timed: otherwise this
    run's sweepers would do it in its first minutes (10,000 attempts of the previous run)."""
    from django.db import connection

    from questions.exams import practice_state, services

    closed = services.close_expired_attempts()
    recorded = practice_state.record_exam_practice()
    if closed or recorded:
        print(
            f"[setup] earlier runs settled: closed {closed}, recorded {recorded} attempt(s)",
            flush=True,
        )
    connection.close()


def open_attempts(exam_id) -> int:
    from django.db import connection

    from questions.exams.models import Attempt

    n = Attempt.objects.filter(exam_id=exam_id, status="in_progress").count()
    connection.close()
    return n


async def the_day(args, port, gunicorn, exam, sessions, config):
    stats = Stats()
    tasks: list = []
    t0 = stats.t0 = time.perf_counter()
    n = len(sessions)
    load = MachineLoad()
    rng = random.Random(7)
    self_submitters = int(n * args.self_submit)
    submit_window = self_submitters / args.submit_rate
    officers = []
    for i, (_oid, key) in enumerate(sessions):
        arrive = rng.uniform(0, args.spread)
        submit_at = None
        if i < self_submitters:
            submit_at = max(
                arrive + 60, args.deadline - submit_window + rng.uniform(0, submit_window)
            )
            submit_at = min(submit_at, args.deadline - 0.5)
        officers.append(
            officer_day(
                port,
                key,
                exam.pk,
                t0,
                arrive,
                submit_at,
                args.deadline - 1,
                stats,
                tasks,
                args.client,
            )
        )
    # Two deadline sweepers, as the exam-day service runs one on each of two servers
    # (deploy/systemd/fazhi-sweeper.service): they take turns through the lock.
    sweepers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "manage.py"),
            "close_expired_attempts",
            "--every",
            str(args.sweep_every),
            env=dict(config["env"]),
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    runners = [asyncio.ensure_future(o) for o in officers]
    killed = ""
    if args.kill:
        await asyncio.sleep(args.deadline / 2)
        pids = gunicorn.worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            killed = f"worker {pids[0]} killed with SIGKILL at t={time.perf_counter() - t0:.0f} s"
            print(f"[day] {killed}", flush=True)
    # The deadline: the sweepers (started with the day) close what nobody submitted.
    await asyncio.sleep(max(0.0, t0 + args.deadline - time.perf_counter()))
    closed_after = None
    while True:
        left = await asyncio.to_thread(open_attempts, exam.pk)
        if left == 0:
            closed_after = time.perf_counter() - t0 - args.deadline
            break
        if time.perf_counter() - t0 - args.deadline > 120:
            break
        await asyncio.sleep(0.5)
    for sweeper in sweepers:
        sweeper.send_signal(signal.SIGTERM)
    sweep_out = [
        " / ".join((await s.communicate())[0].decode().split("\n")).strip(" /") or "nothing"
        for s in sweepers
    ]
    # What is still retrying 60 s after that is counted as never acknowledged (bounded run).
    pending = [t for t in runners + tasks if not t.done()]
    if pending:
        _done, still = await asyncio.wait(pending, timeout=60)
        for task in still:
            task.cancel()
        if args.client == "answer":
            stats.unacked += sum(1 for t in still if t in set(tasks))
    stats.unacked += sum(page.unacked() for page in stats.pages)
    return stats, closed_after, left, sweep_out, killed, load.text()


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def line(name, values):
    return (
        f"{name:<7} n={len(values):>7}  p50={pct(values, 50):8.1f} ms  p95={pct(values, 95):8.1f} ms  "
        f"p99={pct(values, 99):8.1f} ms"
    )


def lost_answers(exam_id, acked) -> int:
    """Acknowledged saves whose (seq, answer) is not what the database holds."""
    from django.db import connection

    from questions.exams.models import Attempt, AttemptAnswer

    item_of = {
        (a.pk, i.question_id): i.item
        for a in Attempt.objects.filter(exam_id=exam_id).only("id", "paper")
        for i in a.items()
    }
    stored = {
        (a, item_of[(a, q)]): (s, r)
        for a, q, s, r in AttemptAnswer.objects.filter(attempt__exam_id=exam_id).values_list(
            "attempt_id", "question_id", "seq", "response"
        )
    }
    connection.close()
    lost = [(k, v, stored.get(k)) for k, v in acked.items() if stored.get(k) != v]
    for key, want, got in lost[:5]:
        print(f"    lost: attempt/item {key}: acknowledged {want}, stored {got}")
    return len(lost)


def print_batches(stats):
    if stats.batch_sizes:
        sizes = stats.batch_sizes
        print(
            f"  save requests: {len(sizes)} carrying {sum(sizes)} answers "
            f"(mean {sum(sizes) / len(sizes):.2f}, max {max(sizes)}; one request per page at a time)"
        )


def print_statuses(stats):
    text = ", ".join(f"{k}:{s}×{n}" for (k, s), n in sorted(stats.statuses.items()) if s != 200)
    print(f"  non-200 responses (retried ones included): {text or 'none'}")


async def ceiling(port, sessions, attempts, seconds):
    """Warm save ceiling: 16 clients back to back (closed loop)."""
    done, lat, statuses = 0, [], {}
    end = time.perf_counter() + seconds

    async def client(oid, key):
        nonlocal done
        a = attempts[oid]
        seq = 10_000_000
        while time.perf_counter() < end:
            item = random.choice(a.items())
            seq += 1
            try:
                status, _b, elapsed, _r = await http(
                    port,
                    "POST",
                    f"/api/exams/attempts/{a.pk}/answers/",
                    key,
                    {
                        "item": item.item,
                        "response": random.choice(item.options or ("T", "F")),
                        "seq": seq,
                    },
                )
            except OSError:
                continue
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                done += 1
                lat.append(elapsed)

    # The workers were warmed at boot (post_worker_init loads every open attempt); a few
    # requests per client make sure each worker has served them once.
    await asyncio.gather(
        *(
            http(port, "GET", f"/api/exams/attempts/{attempts[oid].pk}/", key)
            for oid, key in sessions[:16]
            for _ in range(2)
        )
    )
    t0 = time.perf_counter()
    await asyncio.gather(*(client(oid, key) for oid, key in sessions[:16]))
    if set(statuses) - {200}:
        print(f"  ceiling responses by status: {statuses}", flush=True)
    return done / (time.perf_counter() - t0), lat


async def overload(args, port, sessions, attempts):
    load = MachineLoad()
    rate, ceil_lat = await ceiling(port, sessions, attempts, args.ceiling_seconds)
    ceiling_text = load.text()
    print(
        f"warm save ceiling (closed loop, 16 clients, {args.ceiling_seconds:.0f} s): {rate:.0f} saves/s  "
        f"p50={pct(ceil_lat, 50):.1f} ms p95={pct(ceil_lat, 95):.1f} ms  ({config_line}; {ceiling_text})",
        flush=True,
    )
    offered_rate = rate * args.factor
    stats = Stats()
    tasks = []
    load.mark()
    t0 = time.perf_counter()
    end = t0 + args.overload_seconds
    seqs: dict[int, int] = {}
    pages: dict[int, Page] = {}
    at = t0
    while at < end:
        oid, key = random.choice(sessions)
        a = attempts[oid]
        item = random.choice(a.items())
        seqs[oid] = seqs.get(oid, 20_000_000) + 1
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        if args.client == "page":
            page = pages.get(oid)
            if page is None:
                page = pages[oid] = Page(port, key, a.pk, stats, end + args.drain_seconds, tasks)
                stats.pages.append(page)
            page.answer(item.item, random.choice(item.options or ("T", "F")), seqs[oid])
            at += random.expovariate(offered_rate)
            continue
        tasks.append(
            asyncio.ensure_future(
                save(
                    port,
                    key,
                    a.pk,
                    item.item,
                    random.choice(item.options or ("T", "F")),
                    seqs[oid],
                    stats,
                    end + args.drain_seconds,
                )
            )
        )
        at += random.expovariate(offered_rate)
    window_load = load.text()
    while any(not t.done() for t in tasks):  # pages start new sends while draining
        await asyncio.gather(*tasks)
    stats.unacked += sum(page.unacked() for page in stats.pages)
    total = time.perf_counter() - t0
    offered = len(stats.offered_times)
    served_in_window = sum(1 for t in stats.ack_times if t <= end)
    served_rate = served_in_window / args.overload_seconds
    late = sum(1 for d in stats.ack_delay if d > 120)
    print(
        f"overload {args.factor:.1f}× ceiling for {args.overload_seconds:.0f} s: offered {offered / args.overload_seconds:.0f} saves/s, "
        f"served {served_rate:.0f} saves/s = {served_rate / rate * 100:.0f}% of the ceiling "
        f"({served_in_window}/{offered} answers acknowledged within the window; all retries drained after {total:.0f} s)  "
        f"({config_line}; {window_load})"
    )
    print(
        f"  acknowledgement delay: p50={pct(stats.ack_delay, 50) / 1000:.1f} s  p95={pct(stats.ack_delay, 95) / 1000:.1f} s  "
        f"max={max(stats.ack_delay, default=0):.1f} s;  later than 2 min: {late};  never acknowledged: {stats.unacked};  "
        f"retries: {stats.retries}"
    )
    print("  " + line("save", stats.latency["save"]) + "  (every request, 503s included)")
    print_batches(stats)
    print_statuses(stats)
    lost = lost_answers(attempts[sessions[0][0]].exam_id, stats.acked)
    print(f"  answers lost: {lost}")


config_line = ""


def main():
    global config_line
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument(
        "--spread", type=float, default=120, help="seconds over which officers start"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=240,
        help="seconds from the run's start to the common deadline",
    )
    parser.add_argument(
        "--self-submit", type=float, default=0.7, help="share of officers who submit themselves"
    )
    parser.add_argument(
        "--submit-rate", type=float, default=50, help="their submits per second before the deadline"
    )
    parser.add_argument(
        "--sweep-every",
        type=float,
        default=5,
        help="the deadline sweepers' interval (close_expired_attempts --every)",
    )
    parser.add_argument(
        "--no-kill", dest="kill", action="store_false", help="do not kill a worker halfway"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--client",
        choices=("page", "answer"),
        default="page",
        help="page: as exam-save.js (one request at a time, answers piled up go together); "
        "answer: one request per answer (the earlier page, or a naive client)",
    )
    parser.add_argument(
        "--save-limit",
        type=int,
        default=None,
        help="nginx's limit of saves in flight (deploy/nginx-fazhi.conf's value if not given; 0: none)",
    )
    parser.add_argument(
        "--port", type=int, default=18020, help="nginx; gunicorn gets the next port"
    )
    parser.add_argument(
        "--db-sessions", action="store_true", help="database sessions instead of Redis"
    )
    parser.add_argument(
        "--overload", action="store_true", help="the overload step instead of the day"
    )
    parser.add_argument("--factor", type=float, default=2.0)
    parser.add_argument("--ceiling-seconds", type=float, default=15)
    parser.add_argument("--overload-seconds", type=float, default=60)
    parser.add_argument("--drain-seconds", type=float, default=240)
    args = parser.parse_args()
    if not args.db_sessions:
        os.environ["REDIS_URL"] = REDIS_URL
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the finally block stops servers

    from servers import Gunicorn, Nginx

    ensure_database()
    django_setup()
    from django.conf import settings
    from django.db import connection

    run_id = secrets.token_hex(3)
    settle_earlier_runs()
    print(f"[setup] {args.officers} officers…", flush=True)
    if args.overload:
        exam, sessions = prepare(args.officers, run_id)
        attempts = prestart(exam, [oid for oid, _ in sessions])
    else:
        exam, sessions = prepare(args.officers, run_id, time_limit_minutes=24 * 60)
    connection.close()
    server_env = env_for_server(0)
    gunicorn = Gunicorn(args.port + 1, args.workers, server_env)
    nginx = Nginx(args.port, [args.port + 1], save_limit=args.save_limit)
    version = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    config_line = (
        f"gunicorn.conf.py: {args.workers} sync workers behind nginx, sessions "
        f"{settings.SESSION_ENGINE.rsplit('.', 1)[-1]}"
        f"{' (Redis)' if not args.db_sessions else ''}, PostgreSQL {version.split()[0]}, "
        f"shed after {settings.FAZHI_SHED_QUEUE_MS} ms in queue, nginx save limit {nginx.save_limit}, "
        f"client on the same machine ({_loop_name()}, {args.client} client)"
    )
    print(f"[setup] {config_line}", flush=True)
    try:
        if args.overload:
            run_loop(overload(args, args.port, sessions, attempts))
            return
        from django.utils import timezone

        from questions.exams.models import Exam

        # The common deadline: the window closes args.deadline seconds from now (set after the
        # servers are up, so that the setup's duration does not eat into the day).
        Exam.objects.filter(pk=exam.pk).update(
            closes_at=timezone.now() + timedelta(seconds=args.deadline)
        )
        connection.close()
        print(
            f"[day] {args.officers} officers start over {args.spread:.0f} s; common deadline in "
            f"{args.deadline:.0f} s; {args.self_submit:.0%} submit themselves at ~{args.submit_rate:.0f}/s, "
            "the rest are swept",
            flush=True,
        )
        stats, closed_after, left, sweep_out, killed, load_text = run_loop(
            the_day(args, args.port, gunicorn, exam, sessions, {"env": server_env})
        )
        lost = lost_answers(exam.pk, stats.acked)
        print(
            f"exam day, N={args.officers}, start spread {args.spread:.0f} s ({config_line}; {load_text})"
        )
        for kind in ("save", "start", "paper", "submit"):
            print("  " + line(kind, stats.latency[kind]))
        closed = (
            f"{closed_after:.1f} s"
            if closed_after is not None
            else f"not within 300 s ({left} open)"
        )
        print(
            f"  deadline → last attempt closed: {closed}; 2 sweepers every {args.sweep_every:.0f} s: "
            f"{' | '.join(sweep_out)}"
        )
        print(
            f"  answers acknowledged: {len(stats.ack_delay)}, ack delay p95={pct(stats.ack_delay, 95):.0f} ms "
            f"max={max(stats.ack_delay, default=0):.1f} s; retries: {stats.retries}; never acknowledged: {stats.unacked}; "
            f"answers lost: {lost}"
        )
        if killed:
            print(f"  {killed}")
        print_batches(stats)
        print_statuses(stats)
        print_timeline(stats, stats.t0)
    finally:
        nginx.stop()
        gunicorn.stop()
        if not args.db_sessions:
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
