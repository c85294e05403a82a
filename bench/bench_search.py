"""Search benchmark: build time, warm query latency, recall and precision against substring truth.

    .venv/bin/python bench/bench_search.py ../shared/data/laws
    .venv/bin/python bench/bench_search.py ../shared/data/laws --scale 36     # ~150k articles
    .venv/bin/python bench/bench_search.py ../shared/data/laws --engines whoosh,postgres,wagtail

Engines, all in one run on the same documents and queries:
- whoosh:   this project's Whoosh index (rjieba words + bigram phrases), rebuilt with --procs;
- postgres: this project's PostgreSQL backend (weighted bigram/word tsvector literals + GIN);
- wagtail:  Wagtail 8's database search backend (modelsearch) on PostgreSQL, over the same rows,
            with a jieba-segmented field (without one it finds under half; TECH-NOTES §2).
PostgreSQL engines use --pg-url (a scratch database, created and migrated if needed).

--scale N replicates the corpus N times, shuffling each article's clauses per copy so copies
differ (a stand-in for a national collection of ~150k articles; figures are indicative).
Latency: the call the search page makes (top 10 plus per-kind counts, default filters), after
warm-up, one process. Recall/precision: every article whose title+text contains every query term
as a substring, against all articles the engine returns (status=all, kind=article).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

QUERIES = [
    "拘留",
    "行政拘留",
    "刑事拘留",
    "传唤 时限",
    "扣押 物品 返还",
    "取保候审",
    "醉酒 驾驶",
    "醉驾",
    "电信网络诈骗",
    "盘问",
    "继续盘问",
    "强制隔离戒毒",
    "罚款",
    "吊销 驾驶证",
    "监视居住",
    "逮捕",
    "搜查",
    "询问 未成年人",
    "非法拘禁",
    "寻衅滋事",
    "袭警",
    "妨害公务",
    "交通肇事 逃逸",
    "危险驾驶",
    "管制刀具",
    "枪支",
    "身份证",
    "录音录像",
    "听证",
    "行政复议 期限",
    "国家赔偿",
    "证据 保全",
    "涉案财物",
    "吸毒",
    "卖淫 嫖娼",
    "赌博",
    "治安调解",
    "检查 场所",
    "鉴定意见",
    "辨认",
]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def perturb(docs, copies: int):
    """``copies`` versions of the corpus; copy 0 is the original."""
    from search.documents import SearchDocument

    out = list(docs)
    for r in range(1, copies):
        rnd = random.Random(r)
        for d in docs:
            clauses = d.body.split("，")
            if len(clauses) > 2:
                head, tail = clauses[0], clauses[1:]
                rnd.shuffle(tail)
                body = "，".join([head, *tail])
            else:
                body = d.body
            meta = dict(d.meta)
            if "law" in meta:
                meta["law"] = f"{meta['law']}-r{r}"
            if "law_title" in meta:
                meta["law_title"] = f"{meta['law_title']}（{r}）"
            title = (
                d.title.replace(d.meta.get("law_title", "\0"), meta.get("law_title", ""), 1)
                if d.meta.get("law_title")
                else f"{d.title}（{r}）"
            )
            out.append(
                SearchDocument(
                    key=f"{d.key}-r{r}",
                    kind=d.kind,
                    title=title,
                    body=body,
                    url=d.url,
                    level=d.level,
                    status=d.status,
                    current=d.current,
                    year=d.year,
                    staff_only=d.staff_only,
                    meta=meta,
                )
            )
    return out


def truth_for(docs, q):
    from search.analysis import normalize

    terms = [normalize(t) for t in q.split()]
    return {d.key for d in docs if d.kind == "article" and all(t in d._norm for t in terms)}


EVAL_FILE = ROOT / "bench" / "search_eval.tsv"


def load_eval(path: Path = EVAL_FILE) -> list[tuple[str, list[tuple[str, str]]]]:
    """(question, [(law name, article label), ...]) from the evaluation set."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        question, answers = line.split("\t")
        pairs = []
        for ans in answers.split(";"):
            law, label = ans.strip().rsplit(" ", 1)
            pairs.append((law.strip(), label.strip()))
        out.append((question.strip(), pairs))
    return out


def _is_answer(title: str, answers) -> bool:
    for law, label in answers:
        if title.endswith(" " + label):
            name = title[: -len(label) - 1].strip().removeprefix("中华人民共和国")
            if name == law:
                return True
    return False


def evaluate_questions(name, engine, questions, *, reps=2, blind=False):
    """hit@10, MRR@10 and latency of the natural-language evaluation set (articles only).

    ``blind``: a set not looked at while tuning (held-out, fresh): aggregate figures only, no
    question is printed."""
    from search.engines.base import Filters
    from search.querying import parse_query

    flt = Filters(kinds=("article",))
    parsed = [(parse_query(q), answers, q) for q, answers in questions]
    for p, _a, _q in parsed:  # warm-up
        engine.search(p, flt, limit=10)
    lat, cold, hits, rr, misses, by_query = [], [], 0, 0.0, [], {}
    for p, _a, _q in parsed:  # cold: as if no query had run before (the engine's caches dropped)
        if hasattr(engine, "drop_caches"):
            engine.drop_caches()
        t = time.perf_counter()
        engine.search(p, flt, limit=10)
        cold.append((time.perf_counter() - t) * 1000)
    for p, _a, _q in parsed:  # warm again: the cold pass dropped every other query's caches
        engine.search(p, flt, limit=10)
    for rep in range(reps):
        for p, answers, q in parsed:
            t = time.perf_counter()
            res = engine.search(p, flt, limit=10)
            lat.append((time.perf_counter() - t) * 1000)
            by_query.setdefault(q, []).append(lat[-1])
            if rep:
                continue
            rank = next(
                (i for i, h in enumerate(res.hits[:10], 1) if _is_answer(h.title, answers)), None
            )
            if rank:
                hits += 1
                rr += 1.0 / rank
            if rank != 1 and not blind:
                misses.append(f"{q}→{rank or '-'}")
    n = len(parsed)
    res = {
        "name": name,
        "hit10": hits / n,
        "mrr10": rr / n,
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "cold_p50": pct(cold, 50),
        "cold_p95": pct(cold, 95),
        "misses": misses,
    }
    print(
        f"  -> {name} questions: hit@10 {res['hit10']:.3f}, MRR@10 {res['mrr10']:.3f}, "
        f"p50 {res['p50']:.1f} ms, p95 {res['p95']:.1f} ms (cold caches: p50 {res['cold_p50']:.1f}, "
        f"p95 {res['cold_p95']:.1f}); load average {load_average()}",
        flush=True,
    )
    slowest = sorted(((pct(v, 50), q) for q, v in by_query.items()), reverse=True)[:6]
    if blind:
        return res
    print(
        "     slowest (median ms): " + ", ".join(f"{q} {ms:.0f}" for ms, q in slowest), flush=True
    )
    return res


def evaluate(name, engine, docs, truths, *, warm=2, reps=3):
    res = _evaluate(name, engine, docs, truths, warm=warm, reps=reps)
    print(
        f"  -> {name}: p50 {res['p50']:.1f} ms, p95 {res['p95']:.1f} ms, recall {res['recall']:.3f}, "
        f"precision {res['precision']:.3f}; load average {load_average()}",
        flush=True,
    )
    print(f"     slowest (median ms): {res['slowest']}", flush=True)
    return res


def _evaluate(name, engine, docs, truths, *, warm=2, reps=3):
    from search.engines.base import Filters
    from search.querying import parse_query

    parsed = {q: parse_query(q) for q in QUERIES}
    for _ in range(warm):
        for q in QUERIES:
            engine.search(parsed[q], Filters(), limit=10)
    lat, by_query = [], {}
    for _ in range(reps):
        for q in QUERIES:
            t = time.perf_counter()
            engine.search(parsed[q], Filters(), limit=10)
            ms = (time.perf_counter() - t) * 1000
            lat.append(ms)
            by_query.setdefault(q, []).append(ms)
    tp = fn = fp = 0
    per_query = []
    for q in QUERIES:
        # Several terms are a best-match query now: the literal benchmark counts the results
        # that contain every term (ranked first, before any partial match), as before.
        got = {
            h.key
            for h in engine.search(
                parsed[q], Filters(kinds=("article",), status="all"), limit=10**6
            ).hits
            if getattr(h, "full", True)
        }
        truth = truths[q]
        tp += len(got & truth)
        fn += len(truth - got)
        fp += len(got - truth)
        per_query.append((q, len(truth), len(got & truth), len(got - truth)))
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    slowest = sorted(((pct(v, 50), q) for q, v in by_query.items()), reverse=True)[:6]
    return {
        "name": name,
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "recall": recall,
        "precision": precision,
        "per_query": per_query,
        "slowest": ", ".join(f"{q} {ms:.0f}" for ms, q in slowest),
    }


class WagtailEngine:
    """Wagtail's database backend over the same rows (a proxy model made searchable)."""

    name = "wagtail"

    def __init__(self):
        from django.db import models

        from modelsearch import index
        from modelsearch.backends import get_search_backend

        from search.analysis import segmenter
        from search.models import IndexedDocument

        class BenchDocument(index.Indexed, IndexedDocument):
            search_fields = [
                index.SearchField("title"),
                index.SearchField("segmented"),
                index.FilterField("kind"),
                index.FilterField("current"),
            ]

            class Meta:
                proxy = True
                app_label = "sitesearch"

            def segmented(self):
                seg = segmenter()
                return " ".join(w for w, _s, _e in seg.tokenize_search(self.body))

        from django.apps import apps as django_apps

        from modelsearch.abstract_models import TextIDGenericRelation

        entry = next(
            m
            for m in django_apps.get_models()
            if m.__name__ == "IndexEntry" and m._meta.db_table == "wagtailsearch_indexentry"
        )
        TextIDGenericRelation(entry).contribute_to_class(BenchDocument, "index_entries")
        self.model = BenchDocument
        self.backend = get_search_backend()
        self.seg = segmenter()
        self._models = models

    def rebuild(self, n_expected):
        from django.db import connection

        with connection.cursor() as cur:  # start clean
            cur.execute("DELETE FROM wagtailsearch_indexentry")
        qs = self.model.objects.all().order_by("id")
        batch, done = [], 0
        for obj in qs.iterator(chunk_size=2000):
            batch.append(obj)
            if len(batch) >= 2000:
                self.backend.add_bulk(self.model, batch)
                done += len(batch)
                batch = []
        if batch:
            self.backend.add_bulk(self.model, batch)
        return done

    def search(self, parsed, flt, *, offset=0, limit=10, per_kind=0):
        from search.engines.base import Hit, Hits

        words = []
        for clause in parsed.positive:
            if clause.hint:
                continue
            words += [w for w in self.seg.cut(clause.text) if w.strip()]
        qs = self.model.objects.all()
        if flt.kinds:
            qs = qs.filter(kind__in=list(flt.kinds))
        if flt.status == "current":
            qs = qs.filter(current=True)
        # A best-match query (an officer's question) is Wagtail's "or" search, ranked.
        operator = "or" if parsed.best_match else "and"
        res = self.backend.search(" ".join(words), qs, operator=operator)
        rows = list(res[offset : offset + limit]) if limit < 10**5 else list(res)
        return Hits(
            total=len(rows),
            counts={},
            hits=[Hit(key=r.key, kind=r.kind, title=r.title, url=r.url, body="") for r in rows],
        )


def setup_django(pg_url: str, whoosh_dir: str):
    os.environ["DATABASE_URL"] = pg_url
    os.environ["WHOOSH_INDEX_DIR"] = whoosh_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import psycopg

    base, dbname = pg_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{dbname}\" TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "sitesearch_indexeddocument" not in connection.introspection.table_names():
        print("migrating the scratch database (first run only) ...", flush=True)
    call_command("migrate", verbosity=0)  # also brings an existing scratch database up to date


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "laws", type=Path, help="folder of law Markdown files (e.g. ../shared/data/laws)"
    )
    ap.add_argument(
        "--scale", type=int, default=1, help="replicate the corpus N times (36 ≈ 150k articles)"
    )
    ap.add_argument("--engines", default="whoosh,postgres,wagtail")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/search_bench"),
    )
    ap.add_argument("--segmenter", default="rjieba", choices=["rjieba", "jieba"])
    ap.add_argument(
        "--eval",
        type=Path,
        action="append",
        help="question evaluation set (TSV); may be repeated (default: the main set). A set "
        "whose name contains 'holdout', 'fresh' or 'blind' is reported as aggregate figures only",
    )
    ap.add_argument(
        "--keep", type=Path, help="Whoosh directory to (re)use instead of a temporary one"
    )
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: skip the Whoosh build if that directory already holds an index "
        "of this corpus (same document count), to tune queries without rebuilding",
    )
    args = ap.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    # Django first: the corpus comes from the laws app's importer and search provider.
    whoosh_dir = str(args.keep) if args.keep else tempfile.mkdtemp(prefix="bench-whoosh-")
    needs_django = any(e in engines for e in ("postgres", "wagtail"))
    django_ready = False
    if needs_django:
        try:
            setup_django(args.pg_url, whoosh_dir)
            django_ready = True
        except Exception as exc:  # noqa: BLE001 - report and go on with Whoosh alone
            print(f"PostgreSQL engines skipped: {exc}")
            engines = [e for e in engines if e == "whoosh"]
    if not django_ready:
        os.environ["WHOOSH_INDEX_DIR"] = whoosh_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        import django

        django.setup()

    from search import analysis

    analysis.configure(name=args.segmenter)
    from bench.corpus import corpus_documents, law_files

    t = time.perf_counter()
    base = corpus_documents(args.laws)
    docs = perturb(base, args.scale) if args.scale > 1 else base
    for d in docs:
        object.__setattr__(d, "_norm", analysis.normalize(f"{d.title}\n{d.body}"))
    n_art = sum(d.kind == "article" for d in docs)
    print(
        f"corpus: {len(law_files(args.laws))} files x{args.scale} -> {len(docs)} documents "
        f"({n_art} articles), {sum(len(d.body) for d in docs) / 1e6:.1f} M chars, "
        f"parsed in {time.perf_counter() - t:.1f} s; segmenter {args.segmenter}; {args.procs} procs"
    )
    t = time.perf_counter()
    truths = {q: truth_for(docs, q) for q in QUERIES}
    print(f"substring truth for {len(QUERIES)} queries in {time.perf_counter() - t:.1f} s")

    # A changed law for the re-index figure: the largest one (刑法) and a typical one.
    by_law: dict[str, list] = {}
    for d in docs:
        by_law.setdefault(d.meta.get("law_title") or d.title, []).append(d)
    big = max(by_law.values(), key=len)
    typical = sorted(by_law.values(), key=len)[len(by_law) // 2]

    results, builds, reindex, qresults = [], {}, {}, []
    eval_sets = []
    for path in args.eval or [EVAL_FILE]:
        questions = load_eval(path)
        blind = any(w in path.name for w in ("holdout", "fresh", "blind"))
        eval_sets.append(
            (path.stem.removeprefix("search_eval").strip("_") or "main", questions, blind)
        )
        print(f"evaluation set: {len(questions)} questions from {path}")

    def evaluate_sets(name, engine, **kw):
        for label, questions, blind in eval_sets:
            label = name if len(eval_sets) == 1 else f"{name}/{label}"
            qresults.append(evaluate_questions(label, engine, questions, blind=blind, **kw))

    if "whoosh" in engines:
        from search.engines.whoosh_engine import WhooshEngine

        eng = WhooshEngine(whoosh_dir)
        t = time.perf_counter()
        last = [0.0]

        def progress(n):
            if time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                print(f"  whoosh [{n}/{len(docs)}] {time.perf_counter() - t:.0f} s", flush=True)

        if args.reuse and args.keep and eng.index_signature() and eng.count() == len(docs):
            print(
                f"  whoosh: reusing the index in {whoosh_dir} ({eng.count()} documents, not rebuilt)"
            )
        else:
            with eng.writer_lock():
                eng.rebuild(docs, procs=args.procs, progress=progress)
            builds["whoosh"] = time.perf_counter() - t
        eng.searcher()
        for label, law in (("typical", typical), ("largest", big)):
            t = time.perf_counter()
            with eng.writer_lock():
                eng.apply(law, [])
            reindex[("whoosh", label)] = (len(law), time.perf_counter() - t)
        print(
            f"  whoosh built in {builds.get('whoosh', float('nan')):.1f} s; re-index {reindex}; "
            f"load average {load_average()}",
            flush=True,
        )
        results.append(evaluate("whoosh", eng, docs, truths))
        evaluate_sets("whoosh", eng)

    if "postgres" in engines or "wagtail" in engines:
        from search.engines.postgres_engine import PostgresEngine

        pg = PostgresEngine()
        t = time.perf_counter()
        pg.rebuild(docs, procs=args.procs)
        builds["postgres"] = time.perf_counter() - t
        for label, law in (("typical", typical), ("largest", big)):
            t = time.perf_counter()
            pg.apply(law, [])
            reindex[("postgres", label)] = (len(law), time.perf_counter() - t)
        print(
            f"  postgres built in {builds['postgres']:.1f} s; load average {load_average()}",
            flush=True,
        )
        if "postgres" in engines:
            results.append(evaluate("postgres", pg, docs, truths))
            evaluate_sets("postgres", pg)
        if "wagtail" in engines:
            wg = WagtailEngine()
            t = time.perf_counter()
            wg.rebuild(len(docs))
            builds["wagtail"] = time.perf_counter() - t
            results.append(evaluate("wagtail", wg, docs, truths, warm=1, reps=1))
            evaluate_sets("wagtail", wg, reps=1)

    print()
    print(
        f"{'engine':<10} {'build s':>9} {'p50 ms':>8} {'p95 ms':>8} {'recall':>7} {'precision':>9}"
    )
    for r in results:
        print(
            f"{r['name']:<10} {builds.get(r['name'], float('nan')):>9.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['recall']:>7.3f} {r['precision']:>9.3f}"
        )
    print()
    print("officers' questions (articles only, top 10):")
    print(
        f"{'engine':<16} {'hit@10':>7} {'MRR@10':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'cold p50':>9} {'cold p95':>9}"
    )
    for r in qresults:
        print(
            f"{r['name']:<16} {r['hit10']:>7.3f} {r['mrr10']:>7.3f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['cold_p50']:>9.1f} {r['cold_p95']:>9.1f}"
        )
    for r in qresults:
        if r["misses"]:
            print(f"  {r['name']} not first: " + "; ".join(r["misses"]))
    print()
    for (name, label), (n, secs) in sorted(reindex.items()):
        print(f"re-index one changed law ({label}, {n} documents) on {name}: {secs:.2f} s")
    print()
    print(
        "per query (truth / found of truth / extra) — extras are synonym matches (醉驾→醉酒驾驶) "
        "or, for Wagtail, missing segmentation:"
    )
    for r in results:
        misses = [f"{q}:{t}/{f}/+{x}" for q, t, f, x in r["per_query"] if f < t or x]
        print(f"  {r['name']}: " + ("; ".join(misses) if misses else "all exact"))


if __name__ == "__main__":
    main()
