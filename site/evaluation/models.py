"""执法质量考评: evaluation standards, the cases under evaluation, evaluations and their findings,
rectification items, period results, bulletins, and the record's fault-liability findings.

- A ``Standard`` (考评标准) is data: items under the six review grounds, each with a deduction and
  an optional 一票否决 flag, a pass line and an excellence line. Editing a standard that has been
  used raises its version; every finding keeps a copy of the item as it was applied, so an old
  evaluation reads the same after the standard changes.
- ``EvaluatedCase`` comes from the bureau's case-handling system (imported, or entered by hand).
- ``Evaluation`` is one per case (一案一评): score, grade, the standard and version it used.
- ``Rectification`` (整改意见) is one demand with a due date and a responsible unit; the unit answers
  and staff accept or return it.
- ``Period`` stores a computed monthly / half-year / year-end evaluation and its adjustments.
"""

from __future__ import annotations

from decimal import Decimal

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from casebook.choices import ReviewGround


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class CaseCategory(models.TextChoices):
    CRIMINAL = "criminal", _("刑事")
    ADMINISTRATIVE = "administrative", _("行政")


class Standard(ClusterableModel):
    """考评标准: editable by staff; ``version`` rises when a used standard is edited."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    full_score = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, default=Decimal(100)
    )
    pass_line = models.DecimalField(
        _("合格线"), max_digits=6, decimal_places=2, default=Decimal(80)
    )
    excellent_line = models.DecimalField(
        _("优秀线"), max_digits=6, decimal_places=2, default=Decimal(95)
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("full_score"), FieldPanel("pass_line"), FieldPanel("excellent_line")]
        ),
        FieldPanel("active"),
        InlinePanel("items", label=_("考评项目")),
    ]

    class Meta:
        verbose_name = _("考评标准")
        verbose_name_plural = _("考评标准")

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"

    def clean(self):
        if not (0 <= self.pass_line <= self.excellent_line <= self.full_score):
            raise ValidationError(_("分数线须满足：0 ≤ 合格线 ≤ 优秀线 ≤ 满分。"))


class StandardItem(Orderable):
    standard = ParentalKey(Standard, on_delete=models.CASCADE, related_name="items")
    ground = models.CharField(_("评查要点"), max_length=20, choices=ReviewGround.choices)
    text = models.CharField(_("考评项目"), max_length=200)
    deduction = models.DecimalField(
        _("扣分"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    fails_case = models.BooleanField(
        _("一票否决"), default=False, help_text=_("发现此问题时案件直接评为不合格。")
    )

    panels = [
        FieldRowPanel([FieldPanel("ground"), FieldPanel("deduction"), FieldPanel("fails_case")]),
        FieldPanel("text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("考评项目")
        verbose_name_plural = _("考评项目")

    def __str__(self):
        return f"{self.get_ground_display()} · {self.text}（−{self.deduction}）"


class EvaluatedCase(models.Model):
    """A case from the bureau's case-handling system, to be evaluated."""

    case_number = models.CharField(_("案件编号"), max_length=64, unique=True)
    category = models.CharField(_("案件类别"), max_length=20, choices=CaseCategory.choices)
    cause = models.CharField(_("案由"), max_length=200)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("办案单位"),
        on_delete=models.PROTECT,
        related_name="evaluated_cases",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主办民警"),
        on_delete=models.PROTECT,
        related_name="lead_cases",
        null=True,
        blank=True,
    )
    assisting_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协办民警"),
        related_name="assisted_cases",
        blank=True,
    )
    accepted_on = models.DateField(_("受案日期"))
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_on", "case_number"]
        verbose_name = _("受评案件")
        verbose_name_plural = _("受评案件")

    def __str__(self):
        return f"{self.case_number} {self.cause}"

    def clean(self):
        if self.filed_on and self.filed_on < self.accepted_on:
            raise ValidationError({"filed_on": _("立案日期不能早于受案日期。")})
        if self.closed_on and self.closed_on < self.accepted_on:
            raise ValidationError({"closed_on": _("结案日期不能早于受案日期。")})


class Evaluation(models.Model):
    """一案一评: the evaluation of one case against one version of a standard."""

    case = models.OneToOneField(
        EvaluatedCase, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("案件")
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, verbose_name=_("考评标准"))
    standard_version = models.PositiveIntegerField(_("标准版本"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("考评人"),
    )
    evaluated_on = models.DateField(_("考评日期"), db_index=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, db_index=True)
    summary = models.TextField(_("总体评价"), blank=True)
    case_page = models.ForeignKey(
        "casebook.CasePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("以案释法案例"),
    )

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("案件考评")
        verbose_name_plural = _("案件考评")

    def __str__(self):
        return f"{self.case.case_number} · {self.score} · {self.get_grade_display()}"


class Finding(models.Model):
    """One problem found, with a copy of the standard's item as it was applied."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        StandardItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ground = models.CharField(_("评查要点"), max_length=20, choices=ReviewGround.choices)
    item_text = models.CharField(_("考评项目"), max_length=200)
    deduction = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2)
    fails_case = models.BooleanField(_("一票否决"), default=False)
    note = models.TextField(_("说明"), blank=True)
    article = models.ForeignKey(
        "laws.Article",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用错误的条文"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("考评问题")
        verbose_name_plural = _("考评问题")

    def __str__(self):
        return f"{self.get_ground_display()} · {self.item_text}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已反馈，待验收")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("退回重改")


class Rectification(models.Model):
    """整改意见: a demand from one finding (or the whole evaluation), due by a date."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="rectifications"
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="rectifications"
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("整改单位")
    )
    demand = models.TextField(_("整改意见"))
    due_on = models.DateField(_("整改期限"), db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    response = models.TextField(_("整改情况"), blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("验收意见"), blank=True)
    reviewed_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("整改意见")
        verbose_name_plural = _("整改意见")

    def __str__(self):
        return self.demand[:40]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED) and (
            self.due_on < today
        )


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度考评")
    HALF = "half", _("半年考评")
    YEAR = "year", _("年终考评")


class Period(models.Model):
    """A periodic evaluation: its scope, the computed figures, and recorded adjustments."""

    kind = models.CharField(_("类型"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    scope = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("考评范围")
    )
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    units = models.JSONField(_("单位结果"), default=list)
    officers = models.JSONField(_("民警结果"), default=list)

    class Meta:
        ordering = ["-end", "-pk"]
        verbose_name = _("阶段考评")
        verbose_name_plural = _("阶段考评")

    def __str__(self):
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"


class Adjustment(models.Model):
    """A staff adjustment of one unit's period result: only with a recorded reason."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    delta = models.DecimalField(_("调整分值"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("调整原因"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("调整时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("考评调整")
        verbose_name_plural = _("考评调整")

    def __str__(self):
        return f"{self.unit} {self.delta}"


class Bulletin(models.Model):
    """通报: drafted from a period's evaluation; published as a notice."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="bulletins")
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    intro = models.TextField(_("导语"), blank=True)
    problems = models.TextField(_("典型问题"), blank=True)
    demands = models.TextField(_("整改要求"), blank=True)
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    notice = models.ForeignKey(
        "notices.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("考评通报")
        verbose_name_plural = _("考评通报")

    def __str__(self):
        return self.title


class FaultFinding(models.Model):
    """执法过错责任追究: entered by legal staff; every view is logged."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fault_findings"
    )
    decided_on = models.DateField(_("认定日期"))
    case = models.ForeignKey(
        EvaluatedCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_label = models.CharField(_("案件"), max_length=200, blank=True)
    finding = models.TextField(_("过错认定"))
    decision = models.TextField(_("处理决定"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("执法过错责任追究")
        verbose_name_plural = _("执法过错责任追究")

    def __str__(self):
        return f"{self.officer} {self.decided_on:%Y-%m-%d}"


class FaultView(models.Model):
    """Who saw whose fault-liability findings, and when."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.viewer} → {self.officer} {self.viewed_at:%Y-%m-%d %H:%M}"


class Award(models.Model):
    """奖励表彰 on the record."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="awards"
    )
    awarded_on = models.DateField(_("日期"))
    title = models.CharField(_("奖励表彰"), max_length=200)
    issuer = models.CharField(_("授予单位"), max_length=100, blank=True)

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        verbose_name = _("奖励表彰")
        verbose_name_plural = _("奖励表彰")

    def __str__(self):
        return self.title


class StudyAssignment(models.Model):
    """A practice set a unit leader (or legal staff) assigns on the articles the unit gets wrong."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    articles = models.ManyToManyField("laws.Article", related_name="+", verbose_name=_("条文"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("学习任务")
        verbose_name_plural = _("学习任务")

    def __str__(self):
        return self.note or str(self.unit)
