"""Reads that depend on who is asking. An officer sees only their own consultations; the
FAQ shows published ones through their public (edited) version only."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.params import parse_int

from . import figures as fig
from .figures import Record
from .models import Category, Consultation, Message, Notification, Status
from .services import can_answer


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """Consultations whose private thread ``user`` may open."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    qs = Consultation.objects.select_related("category", "asker", "assignee")
    if can_answer(user):
        return qs
    return qs.filter(asker=user)


def consultation_for(*, user, pk) -> Consultation:
    try:
        return consultations_visible_to(user).get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def thread_for(*, consultation, user) -> QuerySet[Message]:
    qs = consultation.messages.select_related("author")
    if not can_answer(user):
        qs = qs.exclude(kind=Message.Kind.NOTE)
    return qs


def my_consultations(*, user, status=None) -> QuerySet[Consultation]:
    qs = Consultation.objects.filter(asker=user).select_related("category", "assignee")
    if status:
        qs = qs.filter(status=status)
    return qs


def staff_queue(
    *, user, now, status=None, category=None, mine=False, overdue=False, q=""
) -> QuerySet[Consultation]:
    if not can_answer(user):
        return Consultation.objects.none()
    qs = Consultation.objects.select_related("category", "asker", "asker__unit", "assignee")
    if status == "open" or not status:
        qs = qs.open()
    elif status != "all":
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__slug=category)
    if mine:
        qs = qs.filter(assignee=user)
    if overdue:
        qs = qs.overdue(now)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(pk=parse_int(q) or -1)
        )
    return qs.order_by("due_at", "submitted_at")


def faq_list(*, category=None, q="") -> QuerySet[Consultation]:
    """Published consultations for the FAQ (执法问答); use ``faq_entry`` for their text."""
    qs = (
        Consultation.objects.published()
        .select_related("category", "asker", "asker__unit")
        .with_official_answer()
    )
    if category:
        qs = qs.filter(category__slug=category)
    if q:
        qs = qs.filter(
            Q(answers__public_title__icontains=q)
            | Q(answers__public_body__icontains=q)
            | Q(answers__public_question__icontains=q)
        ).distinct()
    return qs.order_by("-published_at", "-pk")


def faq_detail(*, pk) -> Consultation:
    try:
        return faq_list().get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("consultation")


def figure_records(*, first: date | None = None, last: date | None = None) -> list[Record]:
    qs = Consultation.objects.select_related("category").prefetch_related("answers__answerer")
    records = []
    for c in qs:
        answer = None
        if c.answered_at:
            signed = [a for a in c.answers.all() if a.signed_off_at]
            answer = min(signed, key=lambda a: a.signed_off_at) if signed else None
        records.append(
            Record(
                submitted_at=c.submitted_at,
                category=c.category.name,
                answerer=answer.answerer.display_name if answer else "",
                answered_at=c.answered_at,
                published_at=c.published_at,
                excluded=c.withdrawn or c.duplicate_of_id is not None,
            )
        )
    return records


@dataclass(frozen=True)
class Figures:
    """What the figures page shows, in local time, for the last ``months`` months."""

    rows: list
    rate: Decimal | None
    by_answerer: list
    by_category: list
    answered_in_year: int
    total: int


def figures(*, months: int, year: int) -> Figures:
    """The monthly table, answer rate, median answer times and the year's count.

    Times are converted to the site's time zone before they are bucketed into months, so a
    question asked at 07:30 Beijing time on the 1st counts in that month, not the one before.
    """
    today = timezone.localdate()
    first_month = fig.months_back(today, months)
    local = [
        fig.Record(
            submitted_at=timezone.localtime(r.submitted_at),
            category=r.category,
            answerer=r.answerer,
            answered_at=timezone.localtime(r.answered_at) if r.answered_at else None,
            published_at=timezone.localtime(r.published_at) if r.published_at else None,
            excluded=r.excluded,
        )
        for r in figure_records()
    ]
    in_range = [r for r in local if r.submitted_at.date() >= first_month]
    return Figures(
        rows=fig.monthly(local, first=first_month, last=today),
        rate=fig.answer_rate(in_range),
        by_answerer=fig.median_time_by_answerer(in_range),
        by_category=fig.median_time_by_category(in_range),
        answered_in_year=fig.answered_in_year(local, year),
        total=len(in_range),
    )


def answered_in_year(year: int) -> int:
    """For the annual report: "Legal Online answered N difficult questions" (local calendar year)."""
    return Consultation.objects.filter(answered_at__year=year).count()


def recently_answered(*, limit=5) -> list[Consultation]:
    return list(faq_list()[:limit])


PUBLIC_STATES = [Status.PUBLISHED]
