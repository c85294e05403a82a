"""Hooks into the other apps' registries (search, laws citations, officer record, home).

Each hook is optional: if the other app has not built its registry yet, Legal Online still
works on its own.
"""

import logging

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def connect():
    _search()
    _laws()
    _record_section()
    _home_panel()


def _search():
    from search.registry import register_provider

    from .search_docs import KIND, all_documents

    register_provider(KIND, all_documents=all_documents)


# --- laws: "cited by", impact list, law changes ---------------------------------------------------


def _citing_items(answers):
    from laws.citations import CitingItem

    items = []
    for answer in answers:
        c = answer.consultation
        published = c.status == "published"
        items.append(
            CitingItem(
                title=(answer.public_title or c.title) if published else c.title,
                url=c.get_faq_url() if published else c.get_absolute_url(),
                kind="answer",
                kind_label=str(_("执法问答")),
                visible_to_officers=published,
            )
        )
    return items


def find_citing(law_id, number, suffix):
    """Signed-off answers citing any version of the article (law, number, suffix)."""
    from .models import Answer

    answers = (
        Answer.objects.filter(
            signed_off_at__isnull=False,
            cited_articles__law_id=law_id,
            cited_articles__number=number,
            cited_articles__suffix=suffix,
        )
        .select_related("consultation")
        .distinct()
        .order_by("-signed_off_at")
    )
    # Only the latest signed-off answer of each consultation speaks for it.
    seen, latest = set(), []
    for answer in answers:
        if answer.consultation_id not in seen:
            seen.add(answer.consultation_id)
            latest.append(answer)
    return _citing_items(latest)


def find_impact(change):
    from .models import Answer

    answers = (
        Answer.objects.filter(cited_articles=change.old_article_id, signed_off_at__isnull=False)
        .select_related("consultation")
        .distinct()
    )
    return _citing_items(answers)


def on_articles_changed(sender, changes=(), **kwargs):
    from . import services

    by_old = {}
    for change in changes:
        old_id = getattr(change, "old_article_id", None) or getattr(
            getattr(change, "old_article", None), "pk", None
        )
        if old_id:
            by_old[old_id] = change
    if not by_old:
        return
    for old_id, change in by_old.items():
        kind = getattr(change, "kind", "changed")
        old = getattr(change, "old_article", None)
        label = getattr(old, "citation", "") if old is not None else ""
        note = (
            gettext("%(a)s 已被废止或删除。") if kind == "removed" else gettext("%(a)s 已修改。")
        ) % {"a": label or f"#{old_id}"}
        services.answers_flag_outdated(old_article_ids=[old_id], note=note)


def _laws():
    from laws.citations import register_citer, register_impact
    from laws.signals import articles_changed

    register_citer("answer", label=_("执法问答"), find=find_citing)
    register_impact("answer", label=_("法律在线答复"), find=find_impact)
    articles_changed.connect(on_articles_changed, dispatch_uid="legal_online.articles_changed")


# --- officer record and home page --------------------------------------------------------------


def record_context(officer, viewer):
    """The officer's consultations on their record (执法档案); titles only, no private text."""
    from .models import Consultation
    from .services import can_answer

    if viewer.pk != officer.pk and not can_answer(viewer):
        # Unit leaders see counts, not the questions themselves.
        qs = Consultation.objects.filter(asker=officer, withdrawn=False)
        return {
            "count": qs.count(),
            "answered": qs.filter(answered_at__isnull=False).count(),
            "items": None,
        }
    qs = Consultation.objects.filter(asker=officer, withdrawn=False).select_related("category")
    return {
        "count": qs.count(),
        "answered": qs.filter(answered_at__isnull=False).count(),
        "items": list(qs[:10]),
    }


def timeline_events(officer, viewer) -> list:
    """Questions asked; titles only for the officer and for those who answer (as the section)."""
    from accounts.records import TimelineEvent

    context = record_context(officer, viewer)
    return [
        TimelineEvent(
            timezone.localtime(c.submitted_at).date(),
            str(_("法律在线")),
            c.title,
            c.get_absolute_url(),
        )
        for c in context["items"] or []
    ]


def _record_section():
    from accounts.records import register_record_section, register_timeline

    register_timeline("legal_online", timeline_events)

    register_record_section(
        "legal_online",
        title=_("法律在线咨询"),
        order=60,
        template="legal_online/record_section.html",
        context=record_context,
    )


def home_context(request):
    from . import selectors

    items = selectors.recently_answered(limit=6)
    try:
        more = reverse("legal_online:faq")
    except NoReverseMatch:
        more = ""
    return {"items": items, "more_url": more}


def _home_panel():
    from home.panels import register_home_panel

    register_home_panel(
        "legal_online_answered",
        title=_("法律在线 · 最新答复"),
        order=40,
        template="legal_online/home_panel.html",
        context=home_context,
    )


# --- answer to practice question --------------------------------------------------------------


def practice_question_from_answer(create_draft, *, answer, user) -> str | None:
    """Create a draft practice question citing the same articles; return its edit URL if known."""
    consultation = answer.consultation
    title = answer.public_title or consultation.title
    stem = gettext("【法律在线】%(t)s") % {"t": title}
    question = create_draft(
        stem=stem,
        explanation=answer.public_body or answer.body,
        articles=list(answer.cited_articles.all()),
        author=user,
        source=gettext("法律在线答复 #%(n)s") % {"n": consultation.pk},
    )
    answer.practice_question_id = question.pk
    answer.save(update_fields=["practice_question_id"])
    for name, args in (
        ("questions:question_edit", [question.pk]),
        ("wagtailsnippets_questions_question:edit", [question.pk]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None
