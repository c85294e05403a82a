"""题库 question bank and practice records.

- ``Question``: one question of type 单选/多选/判断/案例分析. A case-analysis question (案例分析)
  holds the case text in its stem; its sub-questions are Questions with ``parent`` set, in
  ``order``. Options are ``QuestionOption`` rows whose key letters follow the written order.
- ``KeyChange``: history of answer-key changes (a change to an answered question can trigger
  a regrade through ``questions.signals.question_key_changed``).
- ``ResponseRecord``: every answer an officer gives anywhere (practice or exam); the
  wrong-answer book (错题本) and the mastery figures are computed from it.
- ``WrongBookEntry``, ``Favourite``, ``PracticeSession``: the officer's practice state.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase, TagBase

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Orderable

from .engine.types import TRUE_FALSE_KEYS, AnswerKey
from .engine.types import QuestionType as EngineType


class QuestionType(models.TextChoices):
    SINGLE = EngineType.SINGLE.value, _("单选题")
    MULTIPLE = EngineType.MULTIPLE.value, _("多选题")
    TRUE_FALSE = EngineType.TRUE_FALSE.value, _("判断题")
    CASE = EngineType.CASE.value, _("案例分析题")


class QuestionStatus(models.TextChoices):
    """draft (草稿/待审核) → reviewed (已审核) → active (已启用) → retired (已停用)."""

    DRAFT = "draft", _("待审核")
    REVIEWED = "reviewed", _("已审核")
    ACTIVE = "active", _("已启用")
    RETIRED = "retired", _("已停用")


# Allowed status changes, checked on the server by services.question_transition().
STATUS_TRANSITIONS: dict[str, set[str]] = {
    QuestionStatus.DRAFT: {QuestionStatus.REVIEWED, QuestionStatus.RETIRED},
    QuestionStatus.REVIEWED: {QuestionStatus.ACTIVE, QuestionStatus.DRAFT},
    QuestionStatus.ACTIVE: {QuestionStatus.RETIRED, QuestionStatus.DRAFT},
    QuestionStatus.RETIRED: {QuestionStatus.DRAFT},
}


class ExamLevel(models.TextChoices):
    """执法资格等级考试 levels a question suits."""

    BASIC = "basic", _("基本级")
    INTERMEDIATE = "intermediate", _("中级")
    ADVANCED = "advanced", _("高级")


class Category(models.Model):
    """题目分类, e.g. 刑事执法, 治安管理, 执法程序."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("题目分类")
        verbose_name_plural = _("题目分类")

    def __str__(self):
        return self.name


class KnowledgePoint(TagBase):
    """知识点: a tag on questions (kept apart from page tags so autocomplete stays on topic)."""

    class Meta:
        verbose_name = _("知识点")
        verbose_name_plural = _("知识点")


class QuestionKnowledgePoint(ItemBase):
    tag = models.ForeignKey(
        KnowledgePoint, related_name="tagged_questions", on_delete=models.CASCADE
    )
    content_object = ParentalKey(
        "questions.Question", related_name="tagged_items", on_delete=models.CASCADE
    )


class QuestionQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def active(self):
        """Questions officers may see: active, top-level (sub-questions come with their case)."""
        return self.filter(status=QuestionStatus.ACTIVE, parent__isnull=True)


_SPACES = re.compile(r"[\s\u3000]+")
_PUNCT = re.compile(r"[，,。.；;：:、（）()【】\[\]“”\"'‘’？?！!—\-_·]")


def normalise_text(text: str) -> str:
    """Text as compared for duplicates: no spaces, no punctuation, lower case."""
    return _PUNCT.sub("", _SPACES.sub("", text or "")).lower()


def compute_fingerprint(qtype: str, stem: str, options: list[str]) -> str:
    """Same type, stem and options (order ignored) → same fingerprint."""
    parts = [qtype, normalise_text(stem), *sorted(normalise_text(o) for o in options)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class Question(ClusterableModel):
    """题目: one question of the bank."""

    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices)
    stem = models.TextField(_("题干"), help_text=_("案例分析题在此填写案情。"))
    answer = models.CharField(
        _("答案"),
        max_length=16,
        blank=True,
        help_text=_(
            "选项字母，如 A 或 ACD；判断题填 T（正确）或 F（错误）；案例分析题留空（由小题给出）。"
        ),
    )
    explanation = models.TextField(_("解析"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("难度"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1（最易）至 5（最难）"),
    )
    points = models.DecimalField(
        _("默认分值"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("案例分析题按各小题分值之和计分。"),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    knowledge_points = ClusterTaggableManager(
        verbose_name=_("知识点"),
        through=QuestionKnowledgePoint,
        blank=True,
    )
    level_basic = models.BooleanField(_("基本级"), default=True)
    level_intermediate = models.BooleanField(_("中级"), default=True)
    level_advanced = models.BooleanField(_("高级"), default=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=QuestionStatus.choices,
        default=QuestionStatus.DRAFT,
        db_index=True,
    )
    review_reason = models.TextField(
        _("待审核原因"),
        blank=True,
        help_text=_("例如：所引法条已修改。审核通过后清空。"),
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    cited_articles = models.ManyToManyField(
        "laws.Article",
        verbose_name=_("考查法条"),
        blank=True,
        related_name="questions",
        help_text=_("引用的是题目编写时有效的条文版本。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属案例分析题"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    order = models.PositiveSmallIntegerField(_("小题序号"), default=0)
    fingerprint = models.CharField(
        _("查重指纹"), max_length=64, blank=True, db_index=True, editable=False
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    # Questions are not referenced from pages; Wagtail's reference index would cost ~40 ms per
    # save (measured in bench/bench_questions.py) for nothing.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["pk"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        indexes = [models.Index(fields=["parent", "order"])]
        permissions = [
            ("review_question", _("审核、启用、停用题目")),
            ("import_questions", _("导入、导出题目")),
            ("practice_questions", _("练习题目")),
        ]

    def __str__(self):
        text = _SPACES.sub(" ", self.stem).strip()
        return text if len(text) <= 40 else text[:39] + "…"

    @property
    def is_case(self) -> bool:
        return self.qtype == QuestionType.CASE

    @property
    def form_field(self) -> str:
        """Name of this sub-question's input on the practice page."""
        return f"part-{self.pk}"

    @property
    def levels(self) -> list[str]:
        return [
            level
            for level, flag in (
                (ExamLevel.BASIC, self.level_basic),
                (ExamLevel.INTERMEDIATE, self.level_intermediate),
                (ExamLevel.ADVANCED, self.level_advanced),
            )
            if flag
        ]

    def option_list(self) -> list[QuestionOption]:
        """Options in written order (uses prefetched rows when present)."""
        return sorted(self.options.all(), key=lambda o: (o.sort_order or 0, o.pk or 0))

    def part_list(self) -> list[Question]:
        return sorted(self.parts.all(), key=lambda p: (p.order, p.pk or 0))

    def option_keys(self) -> tuple[str, ...]:
        if self.qtype == QuestionType.TRUE_FALSE:
            return TRUE_FALSE_KEYS
        return tuple(o.key for o in self.option_list())

    def answer_key(self, points: Decimal | None = None) -> AnswerKey:
        """The engine's key for this question (``ref`` is the pk).

        ``points`` overrides the stored default for a simple question; for a case analysis the
        points are the sum of its sub-questions' points.
        """
        if self.qtype == EngineType.CASE:
            return AnswerKey.stored(
                self.qtype, "", 0, (), [p.answer_key() for p in self.part_list()], ref=self.pk
            )
        return AnswerKey.stored(
            self.qtype,
            self.answer,
            points if points is not None else self.points,
            self.option_keys(),
            ref=self.pk,
        )

    def compute_fingerprint(self) -> str:
        return compute_fingerprint(self.qtype, self.stem, [o.text for o in self.option_list()])


class QuestionOption(Orderable):
    """One option. ``key`` is the letter in written order (A, B, ...), set on save by services."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("选项"), max_length=1, blank=True)
    text = models.TextField(_("选项内容"))

    class Meta(Orderable.Meta):
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self):
        return f"{self.key}. {self.text}"


class KeyChange(models.Model):
    """A change of a question's answer key, kept as history."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_changes")
    old_answer = models.CharField(_("原答案"), max_length=64)
    new_answer = models.CharField(_("新答案"), max_length=64)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    answered_count = models.PositiveIntegerField(_("修改前作答次数"), default=0)
    regrade_requested = models.BooleanField(_("已要求重新评分"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("答案修改记录")
        verbose_name_plural = _("答案修改记录")

    def __str__(self):
        return f"{self.question_id}: {self.old_answer} → {self.new_answer}"


class ResponseSource(models.TextChoices):
    PRACTICE = "practice", _("练习")
    EXAM = "exam", _("考试")


class ResponseRecord(models.Model):
    """One answer given by an officer to one (top-level) question, in practice or an exam."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_responses"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    response = models.CharField(_("作答"), max_length=64, blank=True)
    correct = models.BooleanField(_("是否正确"))
    answered_at = models.DateTimeField(_("作答时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=16, choices=ResponseSource.choices)
    source_ref = models.CharField(_("来源编号"), max_length=64, blank=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = _("作答记录")
        verbose_name_plural = _("作答记录")
        indexes = [
            models.Index(fields=["user", "question", "answered_at"]),
            models.Index(fields=["user", "answered_at"]),
            models.Index(fields=["source", "source_ref"]),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.question_id}: {'✓' if self.correct else '✗'}"


class WrongBookEntry(models.Model):
    """错题本: a question this officer got wrong and has not yet mastered again.

    ``streak`` counts right answers in a row since the last miss; the entry is cleared when it
    reaches ``QUESTIONS_WRONG_BOOK_CLEAR_STREAK``. ``due_at`` schedules spaced repetition.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrong_book"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    miss_count = models.PositiveIntegerField(_("答错次数"), default=0)
    streak = models.PositiveSmallIntegerField(_("连续答对"), default=0)
    interval_days = models.PositiveSmallIntegerField(_("复习间隔（天）"), default=1)
    last_missed_at = models.DateTimeField(_("最近答错"), null=True, blank=True)
    due_at = models.DateTimeField(_("下次复习"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("移出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("错题")
        verbose_name_plural = _("错题本")
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="questions_wrongbook_unique")
        ]
        indexes = [models.Index(fields=["user", "cleared_at", "due_at"])]

    def __str__(self):
        return f"{self.user_id} ✗ {self.question_id}"


class Favourite(models.Model):
    """收藏: a question the officer marked to practise again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_questions"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("收藏")
        verbose_name_plural = _("收藏")
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="questions_favourite_unique")
        ]

    def __str__(self):
        return f"{self.user_id} ★ {self.question_id}"


class PracticeMode(models.TextChoices):
    TOPIC = "topic", _("专项练习")
    RANDOM = "random", _("随机练习")
    SEQUENTIAL = "sequential", _("顺序练习")
    WRONG = "wrong", _("错题练习")
    FAVOURITES = "favourites", _("收藏练习")
    DAILY = "daily", _("每日一练")
    ARTICLE = "article", _("本条再练")


class PracticeSession(models.Model):
    """One run of practice: the questions drawn, in order, and how far the officer got."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    mode = models.CharField(_("练习方式"), max_length=16, choices=PracticeMode.choices)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    question_ids = models.JSONField(_("题目"), default=list)
    position = models.PositiveIntegerField(_("当前题"), default=0)
    answered = models.PositiveIntegerField(_("已答"), default=0)
    correct = models.PositiveIntegerField(_("答对"), default=0)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("练习记录")
        verbose_name_plural = _("练习记录")

    def __str__(self):
        return f"{self.get_mode_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def accuracy(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None
