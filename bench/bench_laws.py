"""Regulations library benchmark: import at national scale, re-import, memory, and page times.

    .venv/bin/python bench/bench_laws.py                      # national size (~150k articles)
    .venv/bin/python bench/bench_laws.py --copies 2 --requests 20   # quick look
    .venv/bin/python bench/bench_laws.py --search             # include the search index step

Builds a collection on disk from the shared files (../shared/data/laws and laws-shapes):
``--copies`` variants of each file, titled 《…（变体N）》, with the clauses of each article
shuffled so no two texts are equal. The shapes are all there: codes in parts (民法典), amendment
series, amendments in items (刑法修正案), plus a generated 决定 in items and a 批复 in one text
per copy. Then, in a scratch PostgreSQL database ``laws_bench`` (emptied first), it runs the
real import path (`laws.importing.import_law_files`, as `import_laws` does) and prints:

1. parse, database and total time and articles/s (the database part is the target: ≥ 1,000/s);
   search indexing is deferred to one bulk rebuild at the end (timed only with ``--search``);
2. re-import of the unchanged collection (hashes only);
3. resident memory at the start, the peak during the import, and the end;
4. p50/p95 of the library index (with facets), the largest law (500+ articles) and an article
   page, in-process (Django test client, DEBUG off, warm), and their query counts;
5. the machine's load average, since the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
DB_NAME = "laws_bench"
SHARED = ROOT.parent / "shared" / "data"


def ensure_database():
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(values) - 1)
    return values[f] + (values[c] - values[f]) * (k - f)


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


_ARTICLE = re.compile(r"^(第[^ \u3000]{1,12}条(?:之[一二三四五六七八九十]+)?[ \u3000])(.*)$")
_ITEM = re.compile(r"^([一二三四五六七八九十百]+、)(.*)$")


def _shuffle_clauses(body: str, rnd: random.Random) -> str:
    clauses = body.split("，")
    if len(clauses) > 2:
        tail = clauses[1:]
        rnd.shuffle(tail)
        return "，".join([clauses[0], *tail])
    return body + "（" + str(rnd.randint(1, 9)) + "）"


def _variant(text: str, n: int, rnd: random.Random) -> str:
    out = []
    titles = 0
    for line in text.splitlines():
        if line.startswith("# ") and titles == 0:
            titles += 1
            out.append(f"{line}（变体{n}）")
            continue
        m = _ARTICLE.match(line) or _ITEM.match(line)
        out.append(m[1] + _shuffle_clauses(m[2], rnd) if m else line)
    return "\n".join(out) + "\n"


def _decision(n: int) -> str:
    items = "\n\n".join(
        f"{cn}、示例事项第{n}批第{i}项的处理，依照刑法和治安管理处罚法的有关规定执行。\n\n"
        f"（一）情节较轻的，依法给予治安管理处罚；\n\n（二）构成犯罪的，依法追究刑事责任。"
        for i, cn in enumerate("一二三四五六七八九十", 1)
    )
    return (
        f"# 全国人民代表大会常务委员会关于示例问题的决定（变体{n}）\n\n"
        f"2001年1月{n % 28 + 1}日 第九届全国人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n"
        f"为了示例，特作如下决定：\n\n{items}\n\n十一、本决定自公布之日起施行。\n"
    )


def _reply(n: int) -> str:
    return (
        f"# 最高人民法院关于示例问题的批复（变体{n}）\n\n2015年3月{n % 28 + 1}日 发布\n\n"
        f"<!-- INFO END -->\n\n某省高级人民法院：\n\n你院关于示例问题的请示收悉。经研究，批复如下："
        f"依照有关规定处理。\n\n此复。\n"
    )


def build_collection(dest: Path, copies: int) -> None:
    sources = [
        p for base in (SHARED / "laws", SHARED / "laws-shapes") for p in sorted(base.rglob("*.md"))
        if p.name != "README.md" and "案例" not in p.parts
    ]  # fmt: skip
    for n in range(1, copies + 1):
        rnd = random.Random(n)
        for path in sources:
            rel = Path(*path.relative_to(SHARED).parts[1:])
            target = dest / f"copy{n}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_variant(path.read_text(encoding="utf-8"), n, rnd), encoding="utf-8")
        extra = dest / f"copy{n}" / "决定"
        extra.mkdir(parents=True, exist_ok=True)
        (extra / "决定.md").write_text(_decision(n), encoding="utf-8")
        (extra / "批复.md").write_text(_reply(n), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--copies", type=int, default=27, help="variants of each file (27 ≈ 150k articles)"
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--search", action="store_true", help="time the search index step too")
    parser.add_argument(
        "--sqlite", metavar="PATH", help="import into a scratch SQLite file instead of PostgreSQL"
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="cache and sessions in Redis, as in production (e.g. redis://127.0.0.1:6379/7; "
        "the database is flushed first)",
    )
    parser.add_argument("--skip-import", action="store_true", help="pages only, on the last import")
    args = parser.parse_args()
    if not (SHARED / "laws").is_dir():
        sys.exit(f"shared data not found at {SHARED}")

    if args.sqlite:
        if not args.skip_import:
            Path(args.sqlite).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.sqlite).resolve()}"
    else:
        ensure_database()
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
        subprocess.run(["redis-cli", "-u", args.redis, "FLUSHDB"], check=True, capture_output=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    scratch = Path(tempfile.mkdtemp(prefix="laws-bench-"))
    os.environ.setdefault("FAZHI_VAR_DIR", str(scratch / "var"))
    os.environ["WHOOSH_INDEX_DIR"] = str(scratch / "whoosh")
    os.environ["JIEBA_CACHE_DIR"] = str(scratch / "jieba")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    import laws.services as services
    from laws.importing import import_law_files
    from laws.models import LawPage

    if args.skip_import:
        return pages(args, scratch)
    if not args.search:
        # The search step is the rebuild's bulk path, measured by bench_search; skip it here.
        import contextlib

        services.deferred_search_indexing = lambda **kw: contextlib.nullcontext(set())
        services._after_import = lambda law_pk, changes: None
    LawPage.objects.all().delete()

    collection = scratch / "collection"
    t0 = time.perf_counter()
    build_collection(collection, args.copies)
    files = sum(1 for _ in collection.rglob("*.md"))
    where = f"SQLite {args.sqlite}" if args.sqlite else f"PostgreSQL {DB_NAME}"
    print(f"database: {where}; collection: {files} files, {args.copies} copies "
          f"(built in {time.perf_counter() - t0:.1f} s); load average {load()}")  # fmt: skip

    start_rss = rss_mb()
    peak = {"rss": start_rss}

    def progress(n, total, row):
        if n % 50 == 0 or n == total:
            peak["rss"] = max(peak["rss"], rss_mb())
            print(f"\r  [{n}/{total}] {rss_mb():.0f} MB", end="", flush=True)

    report = import_law_files([collection], progress=progress)
    print()
    n_articles = report.articles_created
    print(f"files rejected: {len(report.rejected)}; versions: {report.versions_created}; "
          f"articles: {n_articles}; documents without articles: {len(report.without_articles)}")  # fmt: skip
    for item in report.rejected[:5]:
        print("  rejected:", item)
    print(
        f"parse:             {report.parse_seconds:7.1f} s  {n_articles / report.parse_seconds:8.0f} articles/s"
    )
    print(
        f"database part:     {report.write_seconds:7.1f} s  {n_articles / report.write_seconds:8.0f} articles/s"
    )
    if args.search:
        print(f"search index:      {report.index_seconds:7.1f} s  (one bulk rebuild)")
    print(
        f"total:             {report.elapsed:7.1f} s  {n_articles / report.elapsed:8.0f} articles/s"
    )
    print(f"memory: start {start_rss:.0f} MB, peak {peak['rss']:.0f} MB (+{peak['rss'] - start_rss:.0f}), "
          f"end {rss_mb():.0f} MB; load average {load()}")  # fmt: skip

    again = import_law_files([collection])
    print(f"re-import (same):  {again.elapsed:7.1f} s  ({again.count('unchanged')}/{len(again.rows)} "
          f"unchanged; parse {again.parse_seconds:.1f} s, database {again.write_seconds:.1f} s); "
          f"load average {load()}")  # fmt: skip
    pages(args, scratch)


def pages(args, scratch):
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from laws.models import Article, LawIndexPage, LawPage

    client = Client(HTTP_HOST="127.0.0.1")
    reader = User.objects.filter(is_active=True).first() or User.objects.create_user(
        username="bench-reader", password="bench-reader-pass-1"
    )
    client.force_login(reader)  # what an officer sees
    index = LawIndexPage.objects.get()
    big = LawPage.objects.filter(title__startswith="中华人民共和国刑法（").first()
    article = Article.objects.filter(version=big.current_version, number=133, suffix=1).get()
    pages = [
        ("library index + facets", index.url + "?level=法律"),
        ("刑法 law page (505 art.)", big.url),
        ("article 133-1", article.get_absolute_url()),
    ]
    print(
        f"pages: {LawPage.objects.count()} laws, {Article.objects.count()} articles in the library "
        f"({connection.vendor}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}); "
        f"load average {load()}"
    )
    for label, url in pages:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{label:26s} n={len(times)} p50 {statistics.median(times):7.1f} ms  "
              f"p95 {percentile(times, 95):7.1f} ms  queries {len(queries)}")  # fmt: skip
    print(f"load average at the end: {load()}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
