"""Every change to a consultation goes through here (HackSoft-style services).

Each service takes keyword-only arguments, checks the workflow (``legal_online.workflow``)
for the acting user, runs in one transaction and notifies whoever needs to know.
Views catch :class:`legal_online.workflow.TransitionError` and
:class:`RateLimited` and show their message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import conf, deadlines, search_docs
from . import workflow as wf
from .models import (
    Answer,
    AnswerCitation,
    Attachment,
    Category,
    Consultation,
    Message,
    Notification,
    Status,
)
from .notifications import escalation_recipients, notify
from .ratelimit import cache_key, first_exceeded, seconds_until_reset


class RateLimited(Exception):
    def __init__(self, message, retry_after):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


# --- who is acting ---------------------------------------------------------------------------


def can_answer(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm("legal_online.answer_consultation")
    )


def can_review(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.has_perm("legal_online.review_answer")
    )


def actor_for(user, consultation: Consultation) -> wf.Actor:
    answer = consultation.current_answer() if consultation.pk else None
    return wf.Actor(
        is_asker=consultation.asker_id == user.pk,
        is_assignee=consultation.assignee_id is not None and consultation.assignee_id == user.pk,
        wrote_answer=bool(answer and answer.answerer_id == user.pk),
        can_answer=can_answer(user),
        can_review=can_review(user),
    )


def context_for(
    consultation: Consultation, *, duplicate_of: Consultation | None = None
) -> wf.Context:
    answer = consultation.current_answer() if consultation.pk else None
    return wf.Context(
        has_assignee=consultation.assignee_id is not None,
        has_answer=answer is not None and answer.signed_off_at is None,
        duplicate_target_answered=duplicate_of is None
        or duplicate_target_ok(consultation, duplicate_of),
    )


def allowed_actions(user, consultation) -> list[str]:
    return [
        a.value
        for a in wf.allowed_actions(
            consultation.status, actor_for(user, consultation), context_for(consultation)
        )
    ]


ACTION_LABELS = {
    wf.Action.ASSIGN: gettext_lazy("分派"),
    wf.Action.ANSWER: gettext_lazy("答复"),
    wf.Action.SEND_BACK: gettext_lazy("退回修改"),
    wf.Action.SIGN_OFF: gettext_lazy("审核签发"),
    wf.Action.PUBLISH: gettext_lazy("公开"),
    wf.Action.CLOSE: gettext_lazy("关闭"),
    wf.Action.CLOSE_DUPLICATE: gettext_lazy("关闭为重复问题"),
    wf.Action.FOLLOW_UP: gettext_lazy("追问"),
    wf.Action.WITHDRAW: gettext_lazy("撤回"),
    wf.Action.UNPUBLISH: gettext_lazy("撤回公开"),
}

REFUSALS = {
    "not_asker": gettext_lazy("只有提问人可以执行此操作。"),
    "no_permission": gettext_lazy("您没有执行此操作的权限。"),
    "not_assignee": gettext_lazy("只有被指派的答复人可以答复。"),
    "own_answer": gettext_lazy("答复须由答复人以外的第二人审核。"),
    "no_answer": gettext_lazy("尚无待审核的答复。"),
    "duplicate_unanswered": gettext_lazy("重复对象须是已公开的答复（或提问人自己已答复的咨询）。"),
}


def _check(user, consultation, action, **ctx):
    action = wf.Action(action)
    try:
        wf.check(
            consultation.status,
            action,
            actor_for(user, consultation),
            context_for(consultation, **ctx),
        )
    except wf.TransitionError as error:
        if error.reason == "wrong_state":
            message = _("咨询当前为“%(state)s”，不能%(action)s。") % {
                "state": consultation.get_status_display(),
                "action": ACTION_LABELS[action],
            }
        else:
            message = str(REFUSALS.get(error.reason, error.message))
        raise wf.TransitionError(error.reason, message) from None
    return wf.target(consultation.status, action, context_for(consultation, **ctx))


def _lock(consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _event(consultation, user, text, now):
    Message.objects.create(
        consultation=consultation, author=user, kind=Message.Kind.EVENT, body=text, created_at=now
    )


# --- rate limits ---------------------------------------------------------------------------------


def _rate_check_and_count(user, scope: str, now):
    """Refuse when a limit is reached; otherwise count this submission in every window."""
    limits = conf.rate_limits()
    counts = {
        limit.window: cache.get(cache_key(scope, user.pk, now, limit.window), 0) for limit in limits
    }
    exceeded = first_exceeded(counts, limits)
    if exceeded:
        window = _("小时") if exceeded.window == "hour" else _("天")
        raise RateLimited(
            _("提交过于频繁：每%(window)s最多提交 %(n)s 次，请稍后再试。")
            % {"window": window, "n": exceeded.max_count},
            seconds_until_reset(now, exceeded.window),
        )
    for limit in limits:
        key = cache_key(scope, user.pk, now, limit.window)
        timeout = seconds_until_reset(now, limit.window) + 60
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)


# --- deadlines and assignment --------------------------------------------------------------------


def due_policy() -> deadlines.DuePolicy:
    per_category = dict(
        Category.objects.filter(due_days__isnull=False).values_list("slug", "due_days")
    )
    return conf.due_policy(per_category)


def compute_due(category: Category, start) -> object:
    return deadlines.due_at(start, category.slug, due_policy())


def auto_answerer(category: Category):
    """The configured answerer for a category: the category's own, else the settings map."""
    User = get_user_model()
    candidate = category.default_answerer
    if candidate is None:
        username = conf.auto_assign_map().get(category.slug)
        candidate = (
            User.objects.filter(username=username, is_active=True).first() if username else None
        )
    if candidate is not None and candidate.is_active and can_answer(candidate):
        return candidate
    return None


# --- attachments ---------------------------------------------------------------------------------


def validate_upload(upload) -> None:
    """Size and type checks with a message naming the file."""
    name = Path(upload.name).name
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in conf.attachment_extensions():
        raise ValidationError(
            _("附件“%(name)s”的类型不允许；允许的类型：%(types)s。")
            % {"name": name, "types": "、".join(conf.attachment_extensions())}
        )
    if upload.size > conf.attachment_max_bytes():
        raise ValidationError(
            _("附件“%(name)s”超过 %(mb)s MB。")
            % {"name": name, "mb": conf.attachment_max_bytes() // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name})


def _save_attachments(consultation, files, user, now):
    for upload in files:
        validate_upload(upload)
        Attachment.objects.create(
            consultation=consultation,
            token=secrets.token_hex(16),
            file=upload,
            original_name=Path(upload.name).name[:200],
            size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            uploaded_by=user,
            uploaded_at=now,
        )


# --- officers ------------------------------------------------------------------------------------


@transaction.atomic
def consultation_submit(
    *,
    asker,
    title,
    description,
    category,
    articles=(),
    files=(),
    show_name=False,
    confidential=False,
    now=None,
    rate_limit=True,
) -> Consultation:
    """An officer's new question. ``rate_limit=False`` is for loaders (the demo), never views:
    the per-user counters are for people submitting, not for seeding content."""
    now = now or timezone.now()
    if len(files) > conf.attachment_max_count():
        raise ValidationError(_("最多上传 %(n)s 个附件。") % {"n": conf.attachment_max_count()})
    for upload in files:
        validate_upload(upload)
    if rate_limit:
        _rate_check_and_count(asker, "submit", now)
    consultation = Consultation.objects.create(
        asker=asker,
        title=title.strip(),
        description=description.strip(),
        category=category,
        show_name=show_name,
        confidential=confidential,
        submitted_at=now,
        due_at=compute_due(category, now),
        status=Status.SUBMITTED,
    )
    if articles:
        consultation.related_articles.set(articles)
    _save_attachments(consultation, files, asker, now)
    answerer = auto_answerer(category)
    if answerer is not None:
        consultation.assignee = answerer
        consultation.status = Status.ASSIGNED
        consultation.save(update_fields=["assignee", "status", "updated_at"])
        _event(
            consultation,
            asker,
            _("按类别“%(c)s”自动分派给 %(u)s。") % {"c": category.name, "u": answerer.display_name},
            now,
        )
        notify(
            [answerer],
            kind=Notification.Kind.ASSIGNED,
            consultation=consultation,
            now=now,
            text=_("新咨询分派给您：%(t)s") % {"t": consultation.title},
            url=consultation.get_absolute_url(),
        )
    search_docs.sync(consultation)
    return consultation


@transaction.atomic
def consultation_follow_up(*, consultation, user, body, files=(), now=None) -> Message:
    """The asker adds to the thread; a question that already had its answer reopens."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.FOLLOW_UP)
    for upload in files:
        validate_upload(upload)
    _rate_check_and_count(user, "submit", now)
    message = Message.objects.create(
        consultation=consultation,
        author=user,
        kind=Message.Kind.FOLLOW_UP,
        body=body.strip(),
        created_at=now,
    )
    _save_attachments(consultation, files, user, now)
    if wf.reopens(consultation.status):
        consultation.status = new_state.value
        consultation.due_at = compute_due(consultation.category, now)
        consultation.escalated_at = None
        consultation.closed_at = None
        consultation.withdrawn = False
        consultation.save()
        _event(consultation, user, _("提问人追问，咨询重新打开。"), now)
    recipients = [consultation.assignee] if consultation.assignee else []
    notify(
        recipients,
        kind=Notification.Kind.FOLLOW_UP,
        consultation=consultation,
        now=now,
        text=_("提问人追问：%(t)s") % {"t": consultation.title},
        url=consultation.get_absolute_url(),
    )
    search_docs.sync(consultation)
    return message


@transaction.atomic
def consultation_withdraw(*, consultation, user, now=None) -> Consultation:
    now = now or timezone.now()
    consultation = _lock(consultation)
    consultation.status = _check(user, consultation, wf.Action.WITHDRAW).value
    consultation.closed_at = now
    consultation.close_reason = _("提问人撤回")
    consultation.withdrawn = True
    consultation.save()
    _event(consultation, user, _("提问人撤回了咨询。"), now)
    search_docs.sync(consultation)
    return consultation


# --- legal staff ---------------------------------------------------------------------------------


@transaction.atomic
def consultation_assign(*, consultation, user, assignee=None, now=None) -> Consultation:
    """Assign by hand (``assignee``) or automatically by category (``assignee=None``)."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.ASSIGN)
    if assignee is None:
        assignee = auto_answerer(consultation.category)
        if assignee is None:
            raise wf.TransitionError(
                "no_auto_answerer",
                _("类别“%(c)s”没有配置默认答复人，请手动分派。")
                % {"c": consultation.category.name},
            )
    if not can_answer(assignee) or not assignee.is_active:
        raise wf.TransitionError(
            "bad_assignee", _("%(u)s 没有答复咨询的权限。") % {"u": assignee.display_name}
        )
    consultation.assignee = assignee
    consultation.status = new_state.value
    consultation.save()
    _event(consultation, user, _("分派给 %(u)s。") % {"u": assignee.display_name}, now)
    if assignee.pk != user.pk:
        notify(
            [assignee],
            kind=Notification.Kind.ASSIGNED,
            consultation=consultation,
            now=now,
            text=_("咨询分派给您：%(t)s") % {"t": consultation.title},
            url=consultation.get_absolute_url(),
        )
    search_docs.sync(consultation)
    return consultation


@transaction.atomic
def consultation_answer(*, consultation, user, body, articles=(), now=None) -> Answer:
    """The assignee writes (or, after a send-back, revises) the official answer."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.ANSWER)
    answer = consultation.current_answer()
    if answer is None or answer.signed_off_at is not None:
        answer = Answer(consultation=consultation, created_at=now)
    answer.answerer = user
    answer.body = body.strip()
    answer.updated_at = now
    answer.reviewer = None
    answer.save()
    AnswerCitation.objects.filter(answer=answer).delete()
    AnswerCitation.objects.bulk_create(
        [
            AnswerCitation(answer=answer, article=article, order=i)
            for i, article in enumerate(articles)
        ]
    )
    consultation.status = new_state.value
    consultation.save()
    _event(consultation, user, _("提交答复，等待审核。"), now)
    search_docs.sync(consultation)
    return answer


@transaction.atomic
def answer_send_back(*, consultation, user, note, now=None) -> Answer:
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.SEND_BACK)
    answer = consultation.current_answer()
    answer.review_note = note.strip()
    answer.save(update_fields=["review_note"])
    consultation.status = new_state.value
    consultation.save()
    _event(consultation, user, _("审核退回：%(n)s") % {"n": note.strip()}, now)
    notify(
        [answer.answerer],
        kind=Notification.Kind.SENT_BACK,
        consultation=consultation,
        now=now,
        text=_("答复被退回修改：%(t)s") % {"t": consultation.title},
        url=consultation.get_absolute_url(),
    )
    return answer


@transaction.atomic
def answer_sign_off(*, consultation, user, note="", now=None) -> Answer:
    """A second person signs the answer off; the asker receives it now."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.SIGN_OFF)
    answer = consultation.current_answer()
    answer.reviewer = user
    answer.signed_off_at = now
    answer.review_note = note.strip()
    answer.public_title = answer.public_title or consultation.title
    answer.public_question = answer.public_question or (
        "" if consultation.confidential else consultation.description
    )
    answer.public_body = answer.public_body or answer.body
    answer.save()
    consultation.status = new_state.value
    if consultation.answered_at is None:
        consultation.answered_at = now
    consultation.save()
    _event(consultation, user, _("答复经 %(u)s 审核签发。") % {"u": user.display_name}, now)
    notify(
        [consultation.asker],
        kind=Notification.Kind.ANSWERED,
        consultation=consultation,
        now=now,
        text=_("您的咨询已答复：%(t)s") % {"t": consultation.title},
        url=consultation.get_absolute_url(),
    )
    search_docs.sync(consultation)
    return answer


@transaction.atomic
def consultation_publish(
    *, consultation, user, public_title, public_question, public_body, now=None
) -> Consultation:
    """Publish the edited version to the FAQ (执法问答); the original stays private."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    new_state = _check(user, consultation, wf.Action.PUBLISH)
    answer = consultation.official_answer()
    answer.public_title = public_title.strip()
    answer.public_question = public_question.strip()
    answer.public_body = public_body.strip()
    answer.published_by = user
    answer.save()
    consultation.status = new_state.value
    consultation.published_at = consultation.published_at or now
    consultation.save()
    _event(consultation, user, _("公开到执法问答。"), now)
    notify(
        [consultation.asker],
        kind=Notification.Kind.PUBLISHED,
        consultation=consultation,
        now=now,
        text=_("您的咨询已公开到执法问答：%(t)s") % {"t": answer.public_title},
        url=consultation.get_faq_url(),
    )
    search_docs.sync(consultation)
    return consultation


@transaction.atomic
def consultation_unpublish(*, consultation, user, now=None) -> Consultation:
    now = now or timezone.now()
    consultation = _lock(consultation)
    consultation.status = _check(user, consultation, wf.Action.UNPUBLISH).value
    consultation.save()
    _event(consultation, user, _("撤回公开。"), now)
    search_docs.sync(consultation)
    return consultation


@transaction.atomic
def consultation_close(*, consultation, user, reason="", now=None) -> Consultation:
    """Close privately: with its signed-off answer kept private, or without an answer."""
    now = now or timezone.now()
    consultation = _lock(consultation)
    consultation.status = _check(user, consultation, wf.Action.CLOSE).value
    consultation.closed_at = now
    consultation.close_reason = reason.strip()
    consultation.save()
    _event(consultation, user, _("关闭咨询。%(r)s") % {"r": reason.strip()}, now)
    notify(
        [consultation.asker],
        kind=Notification.Kind.CLOSED,
        consultation=consultation,
        now=now,
        text=_("您的咨询已关闭：%(t)s") % {"t": consultation.title},
        url=consultation.get_absolute_url(),
    )
    search_docs.sync(consultation)
    return consultation


def duplicate_target_ok(consultation, target) -> bool:
    """A duplicate may point only where the asker can read the answer: a published one, or
    the asker's own answered question."""
    if target.pk == consultation.pk:
        return False
    if target.status == Status.PUBLISHED:
        return True
    return target.asker_id == consultation.asker_id and target.answered_at is not None


@transaction.atomic
def consultation_close_duplicate(*, consultation, user, duplicate_of, now=None) -> Consultation:
    now = now or timezone.now()
    consultation = _lock(consultation)
    duplicate_of = Consultation.objects.get(pk=duplicate_of.pk)
    consultation.status = _check(
        user, consultation, wf.Action.CLOSE_DUPLICATE, duplicate_of=duplicate_of
    ).value
    consultation.duplicate_of = duplicate_of
    consultation.closed_at = now
    consultation.close_reason = _("与咨询 #%(n)s 重复") % {"n": duplicate_of.pk}
    consultation.save()
    _event(consultation, user, _("关闭为重复问题，参见 #%(n)s。") % {"n": duplicate_of.pk}, now)
    url = (
        duplicate_of.get_faq_url()
        if duplicate_of.status == Status.PUBLISHED
        else duplicate_of.get_absolute_url()
    )
    notify(
        [consultation.asker],
        kind=Notification.Kind.DUPLICATE,
        consultation=consultation,
        now=now,
        text=_("您的咨询“%(t)s”已有答复，请查看相同问题的答复。") % {"t": consultation.title},
        url=url,
    )
    search_docs.sync(consultation)
    return consultation


@transaction.atomic
def message_post(*, consultation, user, body, internal=False, now=None) -> Message:
    """Legal staff reply to the asker (e.g. ask for details) or add an internal note."""
    now = now or timezone.now()
    if not can_answer(user):
        raise wf.TransitionError("no_permission", _("没有处理咨询的权限。"))
    kind = Message.Kind.NOTE if internal else Message.Kind.REPLY
    message = Message.objects.create(
        consultation=consultation, author=user, kind=kind, body=body.strip(), created_at=now
    )
    if not internal:
        notify(
            [consultation.asker],
            kind=Notification.Kind.REPLY,
            consultation=consultation,
            now=now,
            text=_("法制员回复了您的咨询：%(t)s") % {"t": consultation.title},
            url=consultation.get_absolute_url(),
        )
    return message


# --- escalation ------------------------------------------------------------------------------------


@dataclass
class EscalationResult:
    escalated: list
    heads: list


def escalate_overdue(*, now=None) -> EscalationResult:
    """Escalate every open question overdue past the grace period, once, to the head(s)."""
    now = now or timezone.now()
    policy = due_policy()
    escalated = []
    heads = escalation_recipients()
    candidates = (
        Consultation.objects.overdue(now)
        .filter(escalated_at__isnull=True)
        .select_related("assignee")
    )
    for consultation in candidates:
        if not deadlines.needs_escalation(
            due=consultation.due_at,
            now=now,
            is_open=consultation.is_open,
            already_escalated=False,
            policy=policy,
        ):
            continue
        with transaction.atomic():
            locked = _lock(consultation)
            if locked.escalated_at is not None:
                continue
            locked.escalated_at = now
            locked.save(update_fields=["escalated_at", "updated_at"])
            who = locked.assignee.display_name if locked.assignee else _("未分派")
            _event(
                locked,
                None,  # written by the system, not by a head or the asker
                _("超期未答复，已督办（答复人：%(u)s）。") % {"u": who},
                now,
            )
            notify(
                heads + ([locked.assignee] if locked.assignee else []),
                kind=Notification.Kind.ESCALATED,
                consultation=locked,
                now=now,
                text=_("超期督办：%(t)s（期限 %(d)s，答复人：%(u)s）")
                % {
                    "t": locked.title,
                    "d": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M"),
                    "u": who,
                },
                url=locked.get_absolute_url(),
            )
            escalated.append(locked)
    return EscalationResult(escalated, heads)


# --- law changes -----------------------------------------------------------------------------------


def answers_flag_outdated(*, old_article_ids, note, now=None) -> int:
    """Mark answers citing any of these (old) article versions as possibly outdated."""
    now = now or timezone.now()
    answers = Answer.objects.filter(
        cited_articles__in=old_article_ids, outdated_since__isnull=True
    ).distinct()
    flagged = 0
    for answer in answers.select_related("consultation"):
        answer.outdated_since = now
        answer.outdated_note = note[:500]
        answer.save(update_fields=["outdated_since", "outdated_note"])
        flagged += 1
        recipients = [u for u in (answer.answerer, answer.consultation.assignee) if u]
        notify(
            recipients,
            kind=Notification.Kind.OUTDATED,
            consultation=answer.consultation,
            now=now,
            text=_("答复引用的条文已变更，请复核：%(t)s") % {"t": answer.consultation.title},
            url=answer.consultation.get_absolute_url(),
        )
    return flagged


@transaction.atomic
def answer_clear_outdated(*, answer, user) -> Answer:
    if not can_answer(user):
        raise wf.TransitionError("no_permission", _("没有处理咨询的权限。"))
    answer.outdated_since = None
    answer.outdated_note = ""
    answer.save(update_fields=["outdated_since", "outdated_note"])
    return answer
