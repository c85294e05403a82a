"""Legal Online (法律在线): officers' consultations (咨询), the thread, official answers (答复)
and on-site notifications.

The workflow rules live in :mod:`legal_online.workflow` (pure); :mod:`legal_online.services`
is the only place that changes ``Consultation.status``.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .workflow import OPEN_STATES, State


class Status(models.TextChoices):
    SUBMITTED = State.SUBMITTED.value, _("已提交")
    ASSIGNED = State.ASSIGNED.value, _("已分派")
    ANSWERED = State.ANSWERED.value, _("待审核")
    REVIEWED = State.REVIEWED.value, _("已答复")
    PUBLISHED = State.PUBLISHED.value, _("已公开")
    CLOSED = State.CLOSED.value, _("已关闭")


class Category(models.Model):
    """咨询类别 (刑事, 行政, 治安, 交通, 出入境, 禁毒, 其他 ...), configured by staff.

    ``due_days`` overrides the default answer time; ``default_answerer`` receives new
    questions of this category automatically.
    """

    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(_("代码"), max_length=30, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    due_days = models.PositiveSmallIntegerField(
        _("答复期限（天）"), null=True, blank=True, help_text=_("留空则使用系统默认期限。")
    )
    default_answerer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("默认答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("新提交的该类咨询自动分派给此人；须具有答复咨询权限。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("咨询类别")
        verbose_name_plural = _("咨询类别")

    def __str__(self):
        return self.name

    def clean(self):
        if self.due_days is not None and self.due_days < 1:
            raise ValidationError({"due_days": _("答复期限至少为 1 天。")})
        if self.default_answerer_id and not self.default_answerer.has_perm(
            "legal_online.answer_consultation"
        ):
            raise ValidationError({"default_answerer": _("该用户没有答复咨询的权限。")})


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[s.value for s in OPEN_STATES])

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def overdue(self, now):
        return self.open().filter(due_at__lt=now)

    def with_official_answer(self):
        """Prefetch the signed-off answers (newest first) so listing pages do one query for all."""
        return self.prefetch_related(
            models.Prefetch(
                "answers",
                queryset=Answer.objects.filter(signed_off_at__isnull=False)
                .select_related("answerer", "reviewer")
                .order_by("-signed_off_at", "-pk"),
                to_attr="signed_answers",
            )
        )


class Consultation(models.Model):
    """咨询: one difficult question an officer asks Legal Online."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提问人"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("问题描述"), max_length=8000)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="consultations"
    )
    related_articles = models.ManyToManyField(
        "laws.Article",
        verbose_name=_("相关法条"),
        blank=True,
        related_name="+",
        help_text=_("提问人认为相关的条文（固定到提问时的版本）。"),
    )
    show_name = models.BooleanField(
        _("公开时显示我的姓名"),
        default=False,
        help_text=_("答复公开到执法问答时，是否显示提问人姓名和单位。"),
    )
    confidential = models.BooleanField(
        _("含案件细节，需保密"),
        default=False,
        help_text=_("勾选后，公开前必须删去案件细节；原文只有您和法制员可见。"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_consultations",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    close_reason = models.CharField(_("关闭原因"), max_length=500, blank=True)
    withdrawn = models.BooleanField(_("提问人已撤回"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    answered_at = models.DateTimeField(
        _("答复时间"), null=True, blank=True, help_text=_("答复首次经审核签发、送达提问人的时间。")
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        permissions = [
            ("answer_consultation", _("分派、答复、公开和关闭法律在线咨询")),
            ("review_answer", _("审核签发法律在线答复")),
            ("receive_escalations", _("接收超期咨询督办（法制部门负责人）")),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("legal_online:detail", args=[self.pk])

    def get_faq_url(self):
        return reverse("legal_online:faq_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in {s.value for s in OPEN_STATES}

    def is_overdue(self, now) -> bool:
        return self.is_open and self.due_at is not None and now > self.due_at

    def current_answer(self):
        return self.answers.order_by("-created_at", "-pk").first()

    def official_answer(self):
        """The latest signed-off answer (what the asker and, once published, everyone read).

        Uses ``signed_answers`` when a list was prefetched with :func:`with_official_answer`.
        """
        if hasattr(self, "signed_answers"):
            return self.signed_answers[0] if self.signed_answers else None
        return (
            self.answers.filter(signed_off_at__isnull=False)
            .order_by("-signed_off_at", "-pk")
            .first()
        )


class Message(models.Model):
    """One entry in a consultation's thread: a follow-up, a staff reply, or an internal note."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("追问")
        REPLY = "reply", _("法制员回复")
        NOTE = "note", _("内部备注")
        EVENT = "event", _("流程记录")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    # Empty for what the system itself records (an overdue question escalated by the cron job).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    body = models.TextField(_("内容"), max_length=8000)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def internal(self) -> bool:
        return self.kind == self.Kind.NOTE


def _attachment_path(instance, filename):
    # The stored name never uses the uploaded name: it may contain anything.
    suffix = Path(filename).suffix.lower()[:10]
    return f"legal_online/{instance.consultation_id}/{instance.token}{suffix}"


class Attachment(models.Model):
    """附件 of a consultation. Served only through a view that checks who is asking."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("legal_online:attachment", args=[self.consultation_id, self.pk])


class Answer(models.Model):
    """答复: the official answer to one consultation (one per round; a follow-up that reopens a
    question leads to a new round).

    ``body`` is the private original the asker receives. ``public_*`` hold the edited version
    shown on the FAQ (执法问答) once published, with case details removed.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    answerer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("答复正文"), max_length=20000)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("修改时间"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True, max_length=4000)
    public_title = models.CharField(_("公开标题"), max_length=120, blank=True)
    public_question = models.TextField(_("公开的问题"), blank=True, max_length=8000)
    public_body = models.TextField(_("公开的答复"), blank=True, max_length=20000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outdated_since = models.DateTimeField(
        _("引用条文变更时间"),
        null=True,
        blank=True,
        help_text=_("所引条文在答复后被修改或废止；答复可能已过时。"),
    )
    outdated_note = models.CharField(_("变更说明"), max_length=500, blank=True)
    practice_question_id = models.PositiveIntegerField(_("练习题"), null=True, blank=True)
    cited_articles = models.ManyToManyField(
        "laws.Article",
        through="AnswerCitation",
        verbose_name=_("引用条文"),
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self):
        return f"{self.consultation} · {self.created_at:%Y-%m-%d}"


class AnswerCitation(models.Model):
    """One cited article of an answer, pinned to the version in force when the answer was written."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="citations")
    article = models.ForeignKey(
        "laws.Article", on_delete=models.PROTECT, related_name="legal_online_citations"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("答复引用")
        verbose_name_plural = _("答复引用")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "article"], name="legal_online_citation_unique"
            )
        ]

    def __str__(self):
        return str(self.article)


class Notification(models.Model):
    """站内通知: what happened to a consultation the recipient cares about."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("分派")
        ANSWERED = "answered", _("已答复")
        SENT_BACK = "sent_back", _("退回修改")
        PUBLISHED = "published", _("已公开")
        CLOSED = "closed", _("已关闭")
        DUPLICATE = "duplicate", _("重复问题")
        FOLLOW_UP = "follow_up", _("追问")
        REPLY = "reply", _("回复")
        ESCALATED = "escalated", _("超期督办")
        OUTDATED = "outdated", _("条文变更")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_notifications"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text
