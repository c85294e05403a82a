"""Question bank and practice benchmark (PostgreSQL, in process through Django's test client).

    .venv/bin/python bench/bench_questions.py --bank 5000 --answers 3000 --repeat 30

Uses a scratch database ``questions_bench`` (created and migrated on first run, emptied of
questions on each run). Prints:

- import throughput: the shared 300 questions (when ../shared/data is there) and a synthetic
  CSV of ``--bank`` questions in the template's columns (parse + validate + write);
- p50/p95 of the officer pages (practice home, start random, question page, answer, wrong-answer
  book, progress) for an officer with ``--answers`` answers on record;
- export of the whole bank to .xlsx.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "questions_bench"


def _setup_django():
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("WHOOSH_INDEX_DIR", "/tmp/questions-bench-whoosh")
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], capture_output=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(label, fn, repeat):
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(
        f"{label:<34} p50 {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={repeat})"
    )
    return result


def _synthetic_csv(count: int) -> bytes:
    from questions.bankfile import TEMPLATE_COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS)
    writer.writeheader()
    for i in range(count):
        multiple = i % 3 == 0
        writer.writerow(
            {
                "题型": "多选" if multiple else "单选",
                "题干": f"基准测试题目第{i}号：关于现场执法的下列说法，正确的是",
                "选项A": f"说法甲{i}",
                "选项B": f"说法乙{i}",
                "选项C": f"说法丙{i}",
                "选项D": f"说法丁{i}",
                "答案": "ACD" if multiple else "B",
                "解析": "基准测试解析。" * 5,
                "难度": str(i % 5 + 1),
                "知识点": f"知识点{i % 40}、现场执法",
            }
        )
    return buffer.getvalue().encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bank", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    _setup_django()

    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from accounts.roles import Role, assign_role, sync_roles
    from questions.importer import export_questions_xlsx, import_question_files
    from questions.models import PracticeSession, Question, ResponseRecord
    from questions.services import record_responses

    setup_test_environment()
    sync_roles()
    Question.objects.all().delete()

    shared = ROOT.parent / "shared" / "data" / "questions"
    if shared.is_dir():
        files = [(str(p), p.read_bytes()) for p in sorted(shared.glob("*.csv"))]
        started = time.perf_counter()
        report = import_question_files(files, status="active")
        took = time.perf_counter() - started
        print(
            f"import shared data: {report.created} questions in {took:.2f} s ({report.created / took:.0f}/s)"
        )
    else:
        print("import shared data: skipped (../shared/data/questions not found)")

    data = _synthetic_csv(args.bank)
    started = time.perf_counter()
    report = import_question_files([("synthetic.csv", data)], status="active")
    took = time.perf_counter() - started
    print(
        f"import synthetic CSV: {report.created} questions in {took:.2f} s ({report.created / took:.0f}/s)"
    )

    user = User.objects.filter(username="bench-officer").first()
    if user is None:
        user = User.objects.create_user(
            "bench-officer", password="x", police_number="BENCH1", full_name="基准民警"
        )
        assign_role(user, Role.OFFICER)
    ResponseRecord.objects.filter(user=user).delete()
    PracticeSession.objects.filter(user=user).delete()
    ids = list(Question.objects.active().values_list("pk", flat=True))
    started = time.perf_counter()
    batch = [(ids[i % len(ids)], "A", i % 4 == 0) for i in range(args.answers)]
    for i in range(0, len(batch), 100):
        record_responses(user=user, items=batch[i : i + 100], source="exam", source_ref="bench")
    took = time.perf_counter() - started
    print(
        f"record_responses: {args.answers} answers in {took:.2f} s ({args.answers / took:.0f}/s, batches of 100)"
    )

    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh bulk data has no planner statistics until autovacuum runs; without them
        # PostgreSQL picks nested loops that make the wrong-book count take ~1 s.
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    bank = Question.objects.top_level().count()
    print(
        f"bank: {bank} questions; officer has {ResponseRecord.objects.filter(user=user).count()} answers"
    )
    _timed("GET practice home", lambda: client.get("/practice/"), args.repeat)
    location = _timed(
        "POST start random (20)",
        lambda: client.post("/practice/start/", {"mode": "random"})["Location"],
        args.repeat,
    )
    _timed("GET question page", lambda: client.get(location), args.repeat)

    def answer():
        session = PracticeSession.objects.filter(user=user).latest("pk")
        index = session.position
        if index >= session.total:
            client.post("/practice/start/", {"mode": "random"})
            session = PracticeSession.objects.filter(user=user).latest("pk")
            index = 0
        url = f"/practice/s/{session.pk}/q/{index}/"
        client.post(url, {"choice": "B"})
        return client.get(url)

    _timed("POST answer + GET feedback", answer, args.repeat)
    _timed(
        "POST start daily", lambda: client.post("/practice/start/", {"mode": "daily"}), args.repeat
    )
    _timed("GET wrong-answer book", lambda: client.get("/practice/wrong/"), args.repeat)
    _timed(
        "GET progress (mastery + charts)",
        lambda: client.get("/practice/progress/"),
        max(5, args.repeat // 3),
    )
    started = time.perf_counter()
    data = export_questions_xlsx(Question.objects.all())
    print(
        f"export .xlsx: {bank} questions, {len(data) / 1024:.0f} KiB in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
