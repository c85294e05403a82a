"""Demo exams (our own writing): two finished monthly exams with results, an open monthly exam
and an open mock basic-qualification exam that the demo officers can sit.

Idempotent: exams are found by title; finished attempts are only created for an exam that has
none. Needs the question bank's demo questions (questions/demo.py runs first).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from questions.models import Question, QuestionStatus

from . import services
from .models import Exam, ExamKind, ExamSection, Visibility

RULES = (
    "本次考试为闭卷考试，请独立作答。\n"
    "答案在作答后自动保存；到时系统自动交卷。\n"
    "如遇网络中断，请保持页面打开，恢复后答案会自动提交。"
)


def _sections(desired):
    """Blueprint sections trimmed to what the active bank holds."""
    available = dict(
        Question.objects.filter(status=QuestionStatus.ACTIVE, parent__isnull=True)
        .values_list("qtype")
        .annotate(n=Count("pk"))
        .values_list("qtype", "n")
    )
    out = []
    for qtype, count, points, label, *difficulty in desired:
        n = min(count, available.get(qtype, 0))
        if n:
            out.append((qtype, n, Decimal(points), label, *difficulty))
    return out


def _exam(title, *, kind, opens_at, closes_at, sections, examinees, **fields):
    """Find the exam by title, or create it for ``examinees`` only.

    Eligibility decides who counts in the participation rate and the absent list: the demo
    exams are for the officers (民警), so unit leaders and legal staff, who are officer accounts
    too, are neither counted nor listed as absent."""
    exam = Exam.objects.filter(title=title).first()
    if exam:
        return exam, False
    exam = Exam.objects.create(
        title=title,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        description=RULES,
        published=True,
        seed=f"demo-{title}",
        **fields,
    )
    for n, (qtype, count, points, label, *difficulty) in enumerate(sections):
        low, high = difficulty or (1, 5)
        ExamSection.objects.create(
            exam=exam,
            sort_order=n,
            qtype=qtype,
            count=count,
            points_each=points,
            label=label,
            difficulty_min=low,
            difficulty_max=high,
        )
    exam.eligible_officers.set(examinees)
    exam.save()
    return exam, True


def _sit(exam, officer, *, at, skill: float, rng: random.Random):
    """One finished attempt: answers chosen with the officer's skill, saved one by one."""
    attempt = services.attempt_start(exam=exam, officer=officer, now=at)
    keys = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids()).prefetch_related(
            "parts__options", "options"
        )
    }
    t = max(at, attempt.started_at)
    for seq, item in enumerate(attempt.items(), start=1):
        if rng.random() < 0.05:
            continue  # left blank
        q = keys[item.question_id]
        t += timedelta(seconds=rng.randint(20, 70))
        if item.qtype == "case":
            response = [
                (p.answer if rng.random() < skill else rng.choice(part.options))
                for p, part in zip(q.part_list(), item.parts, strict=True)
            ]
        elif rng.random() < skill:
            response = q.answer
        else:
            response = rng.choice(item.options or ("T", "F"))
        services.answer_save(
            attempt_id=attempt.pk,
            officer=officer,
            item=item.item,
            response=response,
            seq=seq,
            now=t,
        )
    services.attempt_submit(
        attempt_id=attempt.pk, officer=officer, reason="officer", now=t + timedelta(seconds=30)
    )


def load(*, stdout) -> None:
    if not Question.objects.filter(status=QuestionStatus.ACTIVE).exists():
        stdout.write("  exams: skipped (no active questions in the bank)")
        return
    now = timezone.now()
    monthly = _sections(
        [
            ("single", 10, "4", "单项选择题"),
            ("multiple", 5, "6", "多项选择题"),
            ("true_false", 5, "2", "判断题"),
            ("case", 1, "20", "案例分析题"),
        ]
    )
    if not monthly:
        stdout.write("  exams: skipped (the bank cannot fill a paper)")
        return
    officers = list(
        User.objects.officers()
        .filter(groups__name="民警", username__startswith="10")
        .order_by("username")
        .distinct()
    )
    made = []
    finished = 0
    for months_ago, absent in ((2, {3, 11, 17}), (1, {5, 17})):
        opens = (now - timedelta(days=30 * months_ago)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        label = opens.strftime("%Y年%m月")
        exam, created = _exam(
            f"{label}执法细则月考",
            kind=ExamKind.MONTHLY,
            opens_at=opens,
            closes_at=opens + timedelta(days=3),
            sections=monthly,
            examinees=officers,
            time_limit_minutes=60,
            pass_mark=Decimal(60),
            excellence_mark=Decimal(90),
            answers_visibility=Visibility.AFTER_CLOSE,
        )
        made.append(exam.title)
        if exam.attempts.exists():
            continue
        rng = random.Random(exam.title)
        for i, officer in enumerate(officers):
            if i in absent:
                continue
            skill = 0.45 + 0.5 * ((i * 7 + months_ago * 3) % 10) / 10
            _sit(exam, officer, at=opens + timedelta(hours=1, minutes=i), skill=skill, rng=rng)
            finished += 1
    label = now.strftime("%Y年%m月")
    # This month's exam draws from part of the bank (by difficulty): while it runs, its pool is
    # withheld from practice (docs/EXAMS.md, integrity policy), and the rest stays practisable.
    current_sections = _sections(
        [
            ("single", 10, "4", "单项选择题", 2, 2),
            ("multiple", 5, "6", "多项选择题", 2, 3),
            ("true_false", 5, "2", "判断题", 1, 1),
            ("case", 1, "20", "案例分析题"),
        ]
    )
    current, _ = _exam(
        f"{label}执法细则月考",
        kind=ExamKind.MONTHLY,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
        sections=current_sections,
        examinees=officers,
        time_limit_minutes=45,
        start_delay_max_seconds=5,
        pass_mark=Decimal(60),
        excellence_mark=Decimal(90),
    )
    made.append(current.title)
    mock_sections = _sections(
        [
            ("single", 15, "4", "单项选择题"),
            ("multiple", 5, "5", "多项选择题"),
            ("true_false", 5, "3", "判断题"),
        ]
    )
    mock, _ = _exam(
        "基本级执法资格模拟考试",
        kind=ExamKind.MOCK,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=90),
        sections=mock_sections,
        examinees=officers,
        time_limit_minutes=60,
        attempts_allowed=3,
        pass_mark=Decimal(60),
        excellence_mark=Decimal(85),
        answers_visibility=Visibility.IMMEDIATELY,
    )
    made.append(mock.title)
    announce_exams(monthly=current, mock=mock)
    stdout.write(f"  exams: {len(made)} exams, {finished} finished demo attempts")


# --- notices written from the exams ----------------------------------------------------------------


def window_text(exam) -> str:
    """'11月26日 09:00至12月26日 09:00' in local time."""
    opens, closes = timezone.localtime(exam.opens_at), timezone.localtime(exam.closes_at)
    return (
        f"{opens.month}月{opens.day}日 {opens:%H:%M}至{closes.month}月{closes.day}日 {closes:%H:%M}"
    )


def _results_text(exam) -> str:
    if exam.score_visibility == Visibility.IMMEDIATELY:
        return "交卷后即可查看成绩。"
    if exam.score_visibility == Visibility.AFTER_CLOSE:
        return "成绩在考试关闭后公布。"
    return "成绩公布时间以考试页面为准。"


def _link(exam) -> str:
    return f'<a href="{reverse("exams:detail", args=[exam.pk])}">{exam.title}</a>'


def announce_exams(*, monthly, mock) -> None:
    """Publish the notices about the demo exams, written from the exams' own window, time limit
    and attempts, so that a notice can never announce a different exam from the one that runs."""
    from notices.demo import publish_notice
    from notices.models import NoticeCategory

    text = (
        f"本月{monthly.title}于{window_text(monthly)}开放，限时{monthly.time_limit_minutes}分钟，"
        f"每人可参考{monthly.attempts_allowed}次。{_results_text(monthly)}"
        "各单位参考率将纳入月度执法质量考评。"
    )
    publish_notice(
        title=f"关于{monthly.title}的通知",
        category=NoticeCategory.EXAM,
        pinned=False,
        date=timezone.localdate(monthly.opens_at),
        html=f"<p>{text}</p><p>考试入口：{_link(monthly)}</p>",
        summary=text[:60],
    )
    year = timezone.localdate(mock.opens_at).year
    text = (
        f"{year}年度执法资格等级考试（基本级、中级）的正式考试时间另行通知。"
        f"考前请各单位组织未取得基本级资格的民警参加{mock.title}：{window_text(mock)}开放，"
        f"限时{mock.time_limit_minutes}分钟，每人可作答{mock.attempts_allowed}次，{_results_text(mock)}"
        "也可在“学习练习”栏目按法规练习。"
    )
    publish_notice(
        title=f"关于开展{year}年度执法资格等级考试的通知",
        category=NoticeCategory.EXAM,
        pinned=True,
        date=timezone.localdate(mock.opens_at),
        html=f"<p>{text}</p><p>模拟考试入口：{_link(mock)}</p>",
        summary=text[:60],
    )
