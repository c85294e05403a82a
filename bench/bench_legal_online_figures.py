"""Legal Online figures at the scale of the prosecutors' Q&A service (检答网: 7,039 questions in
three months), and ten times that. Pure functions only: no database.

    .venv/bin/python bench/bench_legal_online_figures.py
"""

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))

from legal_online import figures  # noqa: E402
from legal_online.deadlines import DuePolicy, due_at, needs_escalation  # noqa: E402
from legal_online.workflow import Action, Actor, Context, State, allowed_actions  # noqa: E402

CATEGORIES = ["刑事", "行政", "治安", "交通", "出入境", "禁毒", "其他"]
ANSWERERS = [f"法制员{i}" for i in range(12)]


def records(n, seed=7):
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 8)
    out = []
    for _i in range(n):
        asked = start + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        answered = (
            asked + timedelta(hours=rng.expovariate(1 / 40)) if rng.random() < 0.778 else None
        )
        published = answered + timedelta(days=1) if answered and rng.random() < 0.3 else None
        out.append(
            figures.Record(
                asked,
                rng.choice(CATEGORIES),
                rng.choice(ANSWERERS) if answered else "",
                answered,
                published,
                excluded=rng.random() < 0.02,
            )
        )
    return out


def timed(label, fn, repeat=5):
    best = min(_once(fn) for _i in range(repeat))
    print(f"  {label:<42} {best * 1000:8.1f} ms")


def _once(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_size(n):
    recs = records(n)
    print(f"[{n} questions]")
    timed(
        "monthly(asked/answered/published)",
        lambda: figures.monthly(recs, first=date(2026, 1, 1), last=date(2026, 4, 1)),
    )
    timed("answer_rate", lambda: figures.answer_rate(recs))
    timed("median time by answerer", lambda: figures.median_time_by_answerer(recs))
    timed("median time by category", lambda: figures.median_time_by_category(recs))
    rate = figures.answer_rate(recs)
    print(f"  answer rate {rate:.2%}; answered in 2026: {figures.answered_in_year(recs, 2026)}")
    policy = DuePolicy(default_days=5, per_category={"刑事": 3})
    now = datetime(2026, 4, 1, 9)
    timed(
        "due date + escalation check per question",
        lambda: [
            needs_escalation(
                due=due_at(r.submitted_at, r.category, policy),
                now=now,
                is_open=r.answered_at is None,
                already_escalated=False,
                policy=policy,
            )
            for r in recs
        ],
    )


def main():
    for n in (7_039, 70_390):
        bench_size(n)
    actor = Actor(can_answer=True, can_review=True)
    timed(
        "allowed_actions x 10,000",
        lambda: [
            allowed_actions(State.ANSWERED, actor, Context(has_answer=True)) for _i in range(10_000)
        ],
    )
    assert Action.SIGN_OFF in allowed_actions(State.ANSWERED, actor, Context(has_answer=True))


if __name__ == "__main__":
    main()
