"""How the question bank plugs into the rest of the site (connected in ``QuestionsConfig.ready``):

- laws: law changes send citing questions back to review; "cited by" and impact listers;
- search: kind "question", staff only, kept in step on save;
- accounts: a section of the officer record (执法档案); home: a "my practice" panel.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)


def admin_edit_url(question) -> str:
    try:
        return reverse("wagtailsnippets_questions_question:edit", args=[question.pk])
    except NoReverseMatch:
        return ""


# --- laws ----------------------------------------------------------------------------------


def change_reason(change) -> str:
    old = change.old_article
    if change.kind == "removed" or change.new_article_id is None:
        return _("所考查的%(citation)s在新版本中已删除或废止，请核对题目。") % {
            "citation": old.citation
        }
    return _("所考查的%(citation)s在新版本中已修改，请核对题目和答案。") % {
        "citation": old.citation
    }


def on_articles_changed(sender, changes=(), **kwargs):
    """Questions citing a changed or removed article go back to review with the reason."""
    from .models import Question
    from .services import question_send_to_review

    for change in changes:
        reason = change_reason(change)
        citing = Question.objects.filter(cited_articles=change.old_article_id).select_related(
            "parent"
        )
        for question in citing:
            top = question.parent if question.parent_id else question
            question_send_to_review(top, reason)
            index_question_later(top.pk)


def _citing_item(question):
    from laws.citations import CitingItem

    return CitingItem(
        title=f"[{question.get_qtype_display()}·{question.get_status_display()}] {question}",
        url=admin_edit_url(question),
        kind="question",
        kind_label=str(gettext_lazy("题目")),
        visible_to_officers=False,  # bank questions carry answers: staff only
    )


def find_citing(law_id, number, suffix):
    from .models import Question

    questions = Question.objects.filter(
        cited_articles__law_id=law_id, cited_articles__number=number, cited_articles__suffix=suffix
    ).distinct()
    return [_citing_item(q) for q in questions]


def find_impacted(change):
    from .models import Question

    return [
        _citing_item(q)
        for q in Question.objects.filter(cited_articles=change.old_article_id).distinct()
    ]


# --- search --------------------------------------------------------------------------------


def question_document(question):
    from search.documents import SearchDocument

    options = "\n".join(f"{o.key}. {o.text}" for o in question.option_list())
    parts = "\n".join(p.stem for p in question.part_list()) if question.is_case else ""
    return SearchDocument(
        key=f"question:{question.pk}",
        kind="question",
        title=str(question),
        body="\n".join(filter(None, [question.stem, options, parts, question.explanation])),
        url=admin_edit_url(question),
        status=question.get_status_display(),
        current=question.status == "active",
        year=question.created_at.year,
        staff_only=True,
        meta={
            "qtype": question.get_qtype_display(),
            "difficulty": question.difficulty,
            "knowledge_points": [t.name for t in question.knowledge_points.all()],
        },
    )


def all_question_documents():
    from .models import Question

    queryset = Question.objects.top_level().prefetch_related("options", "parts", "knowledge_points")
    for question in queryset.iterator(chunk_size=500):
        yield question_document(question)


_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "questions_deferred_index", default=None
)


@contextlib.contextmanager
def deferred_indexing():
    """Collect the questions saved inside the block and index them in one batch after commit.

    Imports use this: one search-index commit for the whole file instead of one per question
    (which made a 300-question import take minutes)."""
    if _deferred.get() is not None:  # nested: the outer block indexes
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)  # on an exception nothing was written: nothing to index
    from search import api

    if not pending:
        return

    def run():
        from .models import Question

        pks = set(pending)
        tops = set(
            Question.objects.filter(pk__in=pks, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        queryset = (
            Question.objects.top_level()
            .filter(pk__in=(pks | tops))
            .prefetch_related("options", "parts", "knowledge_points")
        )
        docs = [question_document(q) for q in queryset]
        found = {int(d.key.split(":")[1]) for d in docs}
        gone = [
            f"question:{pk}"
            for pk in pks
            - found
            - set(Question.objects.filter(pk__in=pks).values_list("pk", flat=True))
        ]
        api.index_documents(docs)
        api.remove_documents(gone)

    transaction.on_commit(run)


def index_question_later(question_pk: int) -> None:
    from search import api

    pending = _deferred.get()
    if pending is not None:
        pending.add(question_pk)
        return

    def run():
        from .models import Question

        question = Question.objects.filter(pk=question_pk).first()
        if question is None:
            api.remove_documents([f"question:{question_pk}"])
        elif question.parent_id:
            index_question_later(question.parent_id)
        else:
            api.index_documents([question_document(question)])

    transaction.on_commit(run)


def on_question_saved(sender, instance, **kwargs):
    index_question_later(instance.pk)


def on_question_deleted(sender, instance, **kwargs):
    from search import api

    key = f"question:{instance.pk}"
    transaction.on_commit(lambda: api.remove_documents([key]))


# --- officer record and home panel ---------------------------------------------------------------


def record_context(officer, viewer):
    from .selectors import practice_summary

    return {"summary": practice_summary(officer), "officer": officer}


def home_panel_context(request):
    user = request.user
    if not user.is_authenticated or not user.has_perm("questions.practice_questions"):
        return None
    from .selectors import practice_summary

    return {"summary": practice_summary(user)}


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import Question

    post_save.connect(on_question_saved, sender=Question, dispatch_uid="questions.index_on_save")
    post_delete.connect(
        on_question_deleted, sender=Question, dispatch_uid="questions.unindex_on_delete"
    )

    from laws.citations import register_citer, register_impact
    from laws.signals import articles_changed

    articles_changed.connect(on_articles_changed, dispatch_uid="questions.articles_changed")
    register_citer("questions", label=gettext_lazy("题目"), find=find_citing)
    register_impact("questions", label=gettext_lazy("题目"), find=find_impacted)

    from search.registry import register_provider

    register_provider("question", all_documents=all_question_documents)

    from accounts.records import register_record_section

    register_record_section(
        "practice",
        title=gettext_lazy("学习练习"),
        order=30,
        template="questions/record_section.html",
        context=record_context,
    )
    from home.panels import register_home_panel

    register_home_panel(
        "practice",
        title=gettext_lazy("我的练习"),
        order=40,
        template="questions/home_panel.html",
        context=home_panel_context,
    )
