"""Regulations library benchmark: import throughput on the shared set, and 刑法 page render time.

    .venv/bin/python bench/bench_laws.py [--data ../shared/data/laws] [--requests 50]

Uses a scratch PostgreSQL database ``laws_bench`` (created and migrated on first use; the
library is emptied before each run). Prints:

1. parse-only throughput (pure parser, no database), articles/s;
2. full import throughput (parse + one transaction per law version + statuses + change
   records), articles/s: the `import_laws` path without the search-index step, which
   bench_search measures on its own;
3. re-import of the unchanged set (every file hashed and found unchanged), articles/s;
4. 刑法 law page (505 articles, all cross-reference links) and one article permalink: p50/p95/max
   in ms over ``--requests`` in-process requests (Django test client, DEBUG off, after 3
   warm-ups). Loopback HTTP and gunicorn would add roughly 1 ms on top.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
DB_NAME = "laws_bench"


def ensure_database():
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
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(values) - 1)
    return values[f] + (values[c] - values[f]) * (k - f)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "laws")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"shared data not found at {args.data}")

    ensure_database()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    scratch = Path(tempfile.mkdtemp(prefix="laws-bench-"))
    os.environ["WHOOSH_INDEX_DIR"] = str(scratch / "whoosh")
    os.environ["JIEBA_CACHE_DIR"] = str(scratch / "jieba")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: PostgreSQL {DB_NAME}; data: {args.data}")
    call_command("migrate", verbosity=0)

    import laws.search
    import laws.services as services
    from laws.importing import plan
    from laws.models import LawPage

    # Search indexing is measured by bench_search; keep it out of these figures.
    services._after_import = lambda law_pk, changes: None
    laws.search.remove_law = lambda law: None
    laws.search.reindex_law = lambda law_pk: None

    LawPage.objects.all().delete()

    # 1. Parse only
    t0 = time.perf_counter()
    sources, rejected, skipped = plan([args.data])
    parse_s = time.perf_counter() - t0
    n_articles = sum(len(s.parsed.articles) for s in sources)
    print(
        f"files: {len(sources)} imported, {len(skipped)} skipped, {len(rejected)} rejected; {n_articles} articles"
    )
    print(f"parse only:        {parse_s:6.2f} s  {n_articles / parse_s:8.0f} articles/s")

    # 2. Full import
    index = services.library_index()
    t0 = time.perf_counter()
    for source in sources:
        services.law_import(source=source, index_page=index)
    import_s = time.perf_counter() - t0 + parse_s
    print(
        f"import (fresh):    {import_s:6.2f} s  {n_articles / import_s:8.0f} articles/s  (parse + write)"
    )

    # 3. Re-import, unchanged
    t0 = time.perf_counter()
    sources2, _r, _s = plan([args.data])
    unchanged = sum(services.law_import(source=s, index_page=index).unchanged for s in sources2)
    again_s = time.perf_counter() - t0
    print(
        f"re-import (same):  {again_s:6.2f} s  {n_articles / again_s:8.0f} articles/s  ({unchanged}/{len(sources2)} unchanged)"
    )

    # 4. Render
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    law = LawPage.objects.get(title="中华人民共和国刑法")
    for label, url in [("刑法 law page", law.url), ("刑法 article 133-1", law.url + "a/133-1/")]:
        for _ in range(3):
            assert client.get(url).status_code == 200
        times = []
        size = 0
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            size = len(response.content)
        print(
            f"{label:20s} n={len(times)}  p50 {statistics.median(times):7.1f} ms  p95 {percentile(times, 95):7.1f} ms"
            f"  max {max(times):7.1f} ms  ({size / 1024:.0f} KiB)"
        )


if __name__ == "__main__":
    main()
