"""Fixtures for the exams tests: a small active question bank and an open exam."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

EXPLANATION_MARK = "解析秘文"


@pytest.fixture
def bank(db):
    """12 single, 6 multiple, 6 true/false and 1 case question, all active.

    Every explanation carries EXPLANATION_MARK so leak tests can look for it, and every
    correct option's text carries "正确选项" so the key cannot hide in option texts... except
    that option texts are shown to officers, so the key marker is put only in explanations."""
    from questions.services import question_create

    created = {"single": [], "multiple": [], "true_false": [], "case": []}
    for i in range(12):
        created["single"].append(
            question_create(
                stem=f"单选题{i}：下列哪一项符合规定？",
                qtype="single",
                options=[f"选项甲{i}", f"选项乙{i}", f"选项丙{i}", f"选项丁{i}"],
                answer="ABCD"[i % 4],
                explanation=f"{EXPLANATION_MARK}{i}",
                status="active",
                difficulty=1 + i % 5,
                knowledge_points=["传唤" if i % 2 else "拘留"],
            )
        )
    for i in range(6):
        created["multiple"].append(
            question_create(
                stem=f"多选题{i}：以下哪些正确？",
                qtype="multiple",
                options=[f"多甲{i}", f"多乙{i}", f"多丙{i}", f"多丁{i}"],
                answer="AC" if i % 2 else "BCD",
                explanation=f"{EXPLANATION_MARK}M{i}",
                status="active",
            )
        )
    for i in range(6):
        created["true_false"].append(
            question_create(
                stem=f"判断题{i}：该说法正确。",
                qtype="true_false",
                answer="T" if i % 2 else "F",
                explanation=f"{EXPLANATION_MARK}T{i}",
                status="active",
            )
        )
    case = question_create(
        stem="案例：某日民警接警……",
        qtype="case",
        explanation=f"{EXPLANATION_MARK}C",
        status="draft",
    )
    question_create(
        stem="小题一",
        qtype="single",
        options=["甲", "乙", "丙"],
        answer="B",
        parent=case,
        order=1,
        status="active",
    )
    question_create(
        stem="小题二",
        qtype="multiple",
        options=["甲", "乙", "丙"],
        answer="AB",
        parent=case,
        order=2,
        status="active",
    )
    case.status = "active"
    case.save()
    created["case"].append(case)
    return created


@pytest.fixture
def make_exam(db, bank):
    from questions.exams.models import Exam, ExamSection

    def make(**fields):
        now = timezone.now()
        sections = fields.pop(
            "sections",
            [
                ("single", 5, "2", "单选题"),
                ("multiple", 2, "5", "多选题"),
                ("true_false", 2, "5", "判断题"),
            ],
        )
        exam = Exam.objects.create(
            title=fields.pop("title", "十一月执法细则月考"),
            kind=fields.pop("kind", "monthly"),
            opens_at=fields.pop("opens_at", now - timedelta(minutes=5)),
            closes_at=fields.pop("closes_at", now + timedelta(hours=3)),
            time_limit_minutes=fields.pop("time_limit_minutes", 30),
            published=fields.pop("published", True),
            pass_mark=fields.pop("pass_mark", Decimal(18)),
            excellence_mark=fields.pop("excellence_mark", Decimal(27)),
            **fields,
        )
        for n, (qtype, count, points, label) in enumerate(sections):
            ExamSection.objects.create(
                exam=exam,
                sort_order=n,
                qtype=qtype,
                count=count,
                points_each=Decimal(points),
                label=label,
            )
        return exam

    return make


def correct_answers(attempt):
    """What a perfect officer would answer, from the bank (test helper only), by paper item id
    and by bank id."""
    from questions.models import Question

    out = {}
    for item in attempt.items():
        q = Question.objects.get(pk=item.question_id)
        if q.qtype == "case":
            out[q.pk] = [p.answer for p in q.part_list()]
        else:
            out[q.pk] = q.answer
        out[item.item] = out[q.pk]
    return out


@pytest.fixture
def sitting(make_exam, officer):
    """An officer's open attempt (3 single, 2 multiple, 2 true/false) and their logged-in
    client (the answer-save tests)."""
    from django.test import Client

    from questions.exams.models import Attempt

    exam = make_exam(
        sections=[
            ("single", 3, "2", "单选题"),
            ("multiple", 2, "5", "多选题"),
            ("true_false", 2, "5", "判断题"),
        ]
    )
    c = Client()
    c.force_login(officer)
    r = c.post(f"/api/exams/{exam.pk}/start/", content_type="application/json")
    assert r.status_code == 200
    return Attempt.objects.get(pk=r.json()["attempt"]), c


ACCOUNT_CHANGES = ["password", "deactivated", "must_change_password"]


def change_account(officer, change: str) -> None:
    """What can happen to an examinee's account mid-exam that the lean session check must not
    outlive (the save, the paper and the submit tests)."""
    if change == "password":
        officer.set_password("another-pass-5678")
    elif change == "deactivated":
        officer.is_active = False
    else:
        officer.must_change_password = True
    officer.save()
