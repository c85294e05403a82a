"""Warm a new worker before it takes exam-day traffic (gunicorn ``post_worker_init``).

The answer save keeps two things per worker (``services._PAPERS``: the papers handed out;
``session_auth._CREDENTIALS``: officers' password hashes), and the start keeps the exam's
rules (``services.exam_rules``). A worker that starts cold during an exam (a respawn after a
crash or a kill, a deploy) pays two extra queries on every officer's first save to it; with
10,000 officers that was a queue of ~20 s in the independent measurement (issue 16). This
loads them in bulk, a few queries for all open attempts, before gunicorn lets the worker
accept a connection. A warm-up that fails only logs: the worker then fills its caches lazily.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import services, session_auth
from .models import Attempt, AttemptStatus, Exam


def warm_worker(now=None) -> dict:
    now = now or timezone.now()
    rows = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__gt=now)
        .order_by("-started_at")
        .values_list("pk", "officer_id", "paper")[: services.PAPERS_MAX]
    )
    services.remember_papers(rows)
    officers = session_auth.remember_officers({officer_id for _pk, officer_id, _paper in rows})
    exams = list(
        Exam.objects.filter(
            published=True, closes_at__gt=now, opens_at__lt=now + timedelta(hours=1)
        )
    )
    for exam in exams:
        services.exam_rules(exam)
    return {"papers": len(rows), "officers": officers, "exams": len(exams)}
