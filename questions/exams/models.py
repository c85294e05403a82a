"""Exams (考试), attempts (答卷) and answers, allowances and the score audit log.

An exam's paper is either a fixed list of questions (``ExamQuestion``) or a blueprint
(``ExamSection`` rows: type, count, points each and a draw filter). Each attempt stores the
paper it was given as JSON (question ids, points, option order), so later changes to the
exam never change a paper already handed out, and the answer-save path needs no join.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questions.engine.paper import AttemptItem, items_from_json
from questions.models import QuestionType


class ExamKind(models.TextChoices):
    BASIC = "basic", _("基本级执法资格考试")
    INTERMEDIATE = "intermediate", _("中级执法资格考试")
    ADVANCED = "advanced", _("高级执法资格考试")
    MONTHLY = "monthly", _("执法细则月考")
    MOCK = "mock", _("模拟考试")

    @classmethod
    def qualification_kinds(cls):
        return (cls.BASIC, cls.INTERMEDIATE, cls.ADVANCED)


class PaperMode(models.TextChoices):
    FIXED = "fixed", _("固定试卷")
    BLUEPRINT = "blueprint", _("按组卷规则随机抽题")


class Visibility(models.TextChoices):
    """When officers see their score / the correct answers."""

    IMMEDIATELY = "immediately", _("交卷后立即")
    AFTER_CLOSE = "after_close", _("考试结束后")
    ON_DATE = "on_date", _("指定时间之后")
    NEVER = "never", _("不公布")


class ExamState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RUNNING = "running", _("进行中")
    ENDED = "ended", _("已结束")


class ExamQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Exam(ClusterableModel):
    title = models.CharField(_("考试名称"), max_length=200)
    kind = models.CharField(
        _("考试类型"), max_length=16, choices=ExamKind.choices, default=ExamKind.MONTHLY
    )
    description = models.TextField(_("考试须知"), blank=True)
    paper_mode = models.CharField(
        _("试卷方式"), max_length=16, choices=PaperMode.choices, default=PaperMode.BLUEPRINT
    )
    shuffle_questions = models.BooleanField(_("题目乱序"), default=True)
    shuffle_options = models.BooleanField(_("选项乱序"), default=True)
    seed = models.CharField(
        _("随机种子"),
        max_length=64,
        blank=True,
        help_text=_("留空则自动生成；同一种子抽出的试卷相同。"),
    )
    opens_at = models.DateTimeField(_("开考时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    time_limit_minutes = models.PositiveIntegerField(
        _("答题时长（分钟）"), validators=[MinValueValidator(1)], default=60
    )
    start_delay_max_seconds = models.PositiveIntegerField(
        _("随机延迟开考上限（秒）"),
        default=0,
        help_text=_(
            "每位民警点击开始后随机等待 0 到此秒数再发卷，用于分散开考高峰；计时从发卷起算。"
        ),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("允许作答次数"), default=1, validators=[MinValueValidator(1)]
    )
    pass_mark = models.DecimalField(
        _("及格分"), max_digits=6, decimal_places=2, default=Decimal(60)
    )
    excellence_mark = models.DecimalField(
        _("优秀分"), max_digits=6, decimal_places=2, default=Decimal(90)
    )
    multiple_partial_share = models.DecimalField(
        _("多选题少选得分比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("0 表示多选题全对才得分；例如 0.5 表示少选且无错选得一半分。"),
    )
    score_visibility = models.CharField(
        _("何时公布成绩"), max_length=16, choices=Visibility.choices, default=Visibility.IMMEDIATELY
    )
    score_visible_from = models.DateTimeField(_("成绩公布时间"), null=True, blank=True)
    answers_visibility = models.CharField(
        _("何时公布答案与解析"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.AFTER_CLOSE,
    )
    answers_visible_from = models.DateTimeField(_("答案公布时间"), null=True, blank=True)
    eligible_units = ParentalManyToManyField(
        "accounts.Unit",
        verbose_name=_("参考单位（含下级单位）"),
        blank=True,
        related_name="+",
    )
    eligible_officers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定参考民警"),
        blank=True,
        related_name="+",
    )
    leave_limit = models.PositiveSmallIntegerField(
        _("允许切屏次数"),
        default=0,
        help_text=_(
            "作答时离开考试页面（切换窗口或标签页）的次数超过此数即自动交卷；"
            "最后一次允许的切屏会先警告。0 表示只记录、不限制。"
        ),
    )
    published = models.BooleanField(_("已发布"), default=False)
    needs_regrade = models.BooleanField(_("需要重新评分"), default=False, editable=False)
    regrade_note = models.TextField(_("重新评分提示"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ExamQuerySet.as_manager()

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-opens_at"]
        permissions = [
            ("manage_exam", _("组织考试（组卷、预览、打印、重新评分）")),
            ("view_exam_results", _("查看考试统计")),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("截止时间必须晚于开考时间。")
        if (
            self.excellence_mark is not None
            and self.pass_mark is not None
            and self.excellence_mark < self.pass_mark
        ):
            errors["excellence_mark"] = _("优秀分不能低于及格分。")
        if self.score_visibility == Visibility.ON_DATE and not self.score_visible_from:
            errors["score_visible_from"] = _("选择“指定时间之后”时须填写成绩公布时间。")
        if self.answers_visibility == Visibility.ON_DATE and not self.answers_visible_from:
            errors["answers_visible_from"] = _("选择“指定时间之后”时须填写答案公布时间。")
        if self.multiple_partial_share is not None and not (0 <= self.multiple_partial_share < 1):
            errors["multiple_partial_share"] = _("比例须在 0 到 1 之间（不含 1）。")
        if errors:
            raise ValidationError(errors)

    def state(self, now=None) -> str:
        """草稿 / 已发布 (not open yet) / 进行中 / 已结束, as staff say it."""
        now = now or timezone.now()
        if not self.published:
            return ExamState.DRAFT
        if now < self.opens_at:
            return ExamState.PUBLISHED
        if now < self.closes_at:
            return ExamState.RUNNING
        return ExamState.ENDED

    def state_label(self, now=None) -> str:
        return ExamState(self.state(now)).label

    state_label.short_description = _("状态")

    def admin_links(self) -> list[tuple[str, str]]:
        """The staff pages of this exam, as (label, url), for the admin list."""
        from django.urls import reverse

        return [
            (_("预览/打印"), reverse("exams:preview", args=[self.pk])),
            (_("统计"), reverse("exams:exam_results", args=[self.pk])),
            (_("试题分析"), reverse("exams:item_analysis", args=[self.pk])),
        ]

    @property
    def time_limit(self) -> timedelta:
        return timedelta(minutes=self.time_limit_minutes)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def last_window_closes_at(self):
        """When the last window anyone still has closes: the exam's close, every make-up window
        of an allowance, every attempt still in progress (its deadline). "After close" means
        after this moment."""
        latest = self.closes_at
        makeup = Allowance.objects.filter(exam=self).aggregate(m=models.Max("makeup_closes_at"))
        running = Attempt.objects.filter(exam=self, status=AttemptStatus.IN_PROGRESS).aggregate(
            m=models.Max("deadline")
        )
        for moment in (makeup["m"], running["m"]):
            if moment is not None and moment > latest:
                latest = moment
        return latest

    def all_windows_closed(self, now=None) -> bool:
        now = now or timezone.now()
        # Cheap first: before the exam's own close no query is needed.
        return now >= self.closes_at and now >= self.last_window_closes_at()

    def _visible(self, mode, date, now) -> bool:
        if mode == Visibility.IMMEDIATELY:
            return True
        if mode == Visibility.AFTER_CLOSE:
            return self.all_windows_closed(now)
        if mode == Visibility.ON_DATE:
            # A date before a make-up window ends waits for it: nobody sees answers while a
            # colleague may still be sitting a paper drawn from the same questions.
            return date is not None and now >= date and self.all_windows_closed(now)
        return False

    def score_visible(self, now=None) -> bool:
        return self._visible(self.score_visibility, self.score_visible_from, now or timezone.now())

    def answers_visible(self, now=None) -> bool:
        """Correct answers and explanations may be shown (to submitted attempts only).
        "After close" and "on a date" wait for the last window anyone has (make-up windows,
        attempts in progress)."""
        return self._visible(
            self.answers_visibility, self.answers_visible_from, now or timezone.now()
        )


class ExamSection(models.Model):
    """One blueprint section (大题)."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="sections")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：单选题"))
    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices)
    count = models.PositiveSmallIntegerField(_("题数"), validators=[MinValueValidator(1)])
    points_each = models.DecimalField(_("每题分值"), max_digits=6, decimal_places=2)
    law = models.CharField(_("限定法规"), max_length=200, blank=True)
    chapter = models.CharField(_("限定章节"), max_length=200, blank=True)
    knowledge_point = models.CharField(_("限定知识点"), max_length=100, blank=True)
    compilation = models.ForeignKey(
        "compilations.CompilationPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("限定法规汇编"),
        help_text=_("只抽引用该汇编所收法规、条文的题目。"),
    )
    difficulty_min = models.PositiveSmallIntegerField(_("最低难度"), default=1)
    difficulty_max = models.PositiveSmallIntegerField(_("最高难度"), default=5)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("组卷规则")
        verbose_name_plural = _("组卷规则")

    def __str__(self):
        return f"{self.label or self.qtype} × {self.count}"

    def clean(self):
        if self.difficulty_min > self.difficulty_max:
            raise ValidationError({"difficulty_max": _("最高难度不能低于最低难度。")})


class ExamQuestion(models.Model):
    """One question of a fixed paper."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="fixed_questions")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    question = models.ForeignKey(
        "questions.Question", on_delete=models.PROTECT, related_name="+", verbose_name=_("题目")
    )
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, default=Decimal(1))

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "question"], name="exams_fixed_question_once")
        ]
        verbose_name = _("固定试题")
        verbose_name_plural = _("固定试题")

    def __str__(self):
        return f"{self.exam_id}:{self.question_id}"


class Allowance(models.Model):
    """An individual allowance (个别安排): extra time and/or a make-up window for one officer."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="allowances")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("民警")
    )
    extra_minutes = models.PositiveIntegerField(_("延长时间（分钟）"), default=0)
    makeup_opens_at = models.DateTimeField(_("补考开始"), null=True, blank=True)
    makeup_closes_at = models.DateTimeField(_("补考截止"), null=True, blank=True)
    extra_attempts = models.PositiveSmallIntegerField(_("额外作答次数"), default=0)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "officer"], name="exams_allowance_once")
        ]
        verbose_name = _("个别安排")
        verbose_name_plural = _("个别安排")

    def __str__(self):
        return f"{self.officer_id} @ {self.exam_id}"

    def clean(self):
        if bool(self.makeup_opens_at) != bool(self.makeup_closes_at):
            raise ValidationError(_("补考开始与截止时间须同时填写。"))
        if self.makeup_opens_at and self.makeup_closes_at <= self.makeup_opens_at:
            raise ValidationError({"makeup_closes_at": _("补考截止须晚于补考开始。")})


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("作答中")
    SUBMITTED = "submitted", _("已交卷")


class SubmitReason(models.TextChoices):
    OFFICER = "officer", _("本人交卷")
    DEADLINE = "deadline", _("到时自动交卷")
    STAFF = "staff", _("管理员收卷")
    LEAVE_LIMIT = "leave_limit", _("切屏次数超限自动交卷")


class Attempt(models.Model):
    """答卷: one officer's sitting of an exam.

    ``paper`` is the list the officer was given, in display order, as JSON written and read
    only by ``questions.engine.paper.AttemptItem`` (use ``items()``): each item has an opaque
    per-attempt id (what the officer's browser sees) and the bank question id (server only).
    ``deadline`` is fixed at start: min(start + limit + extra time, window close).
    """

    exam = models.ForeignKey(
        Exam, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("考试")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exam_attempts",
        verbose_name=_("民警"),
    )
    number = models.PositiveSmallIntegerField(_("第几次作答"), default=1)
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作答时单位"),
    )
    seed = models.CharField(max_length=64)
    paper = models.JSONField(default=list)
    section_labels = models.JSONField(default=list)
    max_score = models.DecimalField(_("满分"), max_digits=7, decimal_places=2, default=Decimal(0))
    created_at = models.DateTimeField(_("点击开始时间"), default=timezone.now)
    started_at = models.DateTimeField(_("发卷时间"))
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    submit_reason = models.CharField(
        _("交卷方式"), max_length=16, choices=SubmitReason.choices, blank=True
    )
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("及格"), null=True)
    excellent = models.BooleanField(_("优秀"), null=True)
    item_scores = models.JSONField(default=dict, blank=True)  # {question_id: "awarded"}
    # When this attempt's answers reached the wrong-answer book and mastery figures: only once
    # the officer may see the exam's answers (exams.practice_state), never at submit.
    practice_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    leave_count = models.PositiveIntegerField(_("切屏次数"), default=0)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "officer", "number"], name="exams_attempt_number_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="exams_attempt_open_idx"),
            models.Index(fields=["exam", "officer"], name="exams_attempt_officer_idx"),
            models.Index(
                fields=["practice_recorded_at", "exam"], name="exams_attempt_practice_idx"
            ),
        ]

    def __str__(self):
        return f"{self.exam} · {self.officer} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def seconds_left(self, now=None) -> int:
        now = now or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    def items(self) -> list[AttemptItem]:
        """The paper as typed items (parsed once per instance)."""
        cached = self.__dict__.get("_items")
        if cached is None or cached[0] is not self.paper:
            cached = (self.paper, items_from_json(self.paper))
            self.__dict__["_items"] = cached
        return cached[1]

    def item_by_id(self, item_id) -> AttemptItem | None:
        return next((i for i in self.items() if i.item == item_id), None)

    def question_ids(self) -> list[int]:
        return [item.question_id for item in self.items()]


class AttemptAnswer(models.Model):
    """One saved answer. ``seq`` is the client's sequence number for this question: a save
    with a lower or equal number than the stored one is ignored, so a re-sent older save never
    overwrites a newer answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.BigIntegerField()
    response = models.JSONField()
    seq = models.BigIntegerField(default=0)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_id"], name="exams_answer_once"),
        ]
        verbose_name = _("作答记录")
        verbose_name_plural = _("作答记录")

    def __str__(self):
        return f"{self.attempt_id}:{self.question_id}#{self.seq}"


class ScoreChange(models.Model):
    """Score audit log (成绩变更记录): who changed which attempt's score, when, why, old → new."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="score_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    changed_at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.CharField(_("原因"), max_length=300)
    old_score = models.DecimalField(_("原分数"), max_digits=7, decimal_places=2, null=True)
    new_score = models.DecimalField(_("新分数"), max_digits=7, decimal_places=2, null=True)
    # The officer's qualification level before and after this change, when it changed it
    # (blank otherwise): a pass raising the level, a regrade withdrawing it.
    qualification_before = models.CharField(_("原资格等级"), max_length=16, blank=True)
    qualification_after = models.CharField(_("新资格等级"), max_length=16, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("成绩变更记录")
        verbose_name_plural = _("成绩变更记录")

    def __str__(self):
        return f"{self.attempt_id}: {self.old_score} → {self.new_score}"


class ItemAnalysisReport(models.Model):
    """Stored result of the background item analysis of one exam (JSON figures).

    No submit writes this row (it would be one row every examinee's submit locks at the
    deadline). Staleness is derived instead: every scoring writes a ``ScoreChange``, so the
    report is stale when the exam's number of score changes differs from ``changes_seen`` (read
    *before* the attempts, so a submit committing during the computation makes it stale again
    rather than being lost), or when a regrade bumped ``generation`` past
    ``computed_generation`` (``analysis.is_stale``).
    """

    exam = models.OneToOneField(Exam, on_delete=models.CASCADE, related_name="item_analysis")
    computed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    changes_seen = models.PositiveIntegerField(default=0)
    generation = models.PositiveIntegerField(default=0)
    computed_generation = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("试题分析")
        verbose_name_plural = _("试题分析")

    def __str__(self):
        return f"{self.exam_id}"


class ExamSettings(models.Model):
    """Site-wide knobs for the dashboards (one row)."""

    unqualified_alert_percent = models.DecimalField(
        _("未取得基本级资格比例预警线（%）"), max_digits=5, decimal_places=2, default=Decimal(20)
    )

    class Meta:
        verbose_name = _("考试统计设置")
        verbose_name_plural = _("考试统计设置")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> ExamSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
