"""Choices of the casebook. Codes match casebook.parsing (a test keeps them equal)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    """案件类别."""

    CRIMINAL = "criminal", _("刑事")
    ADMINISTRATIVE = "administrative", _("行政")
    PUBLIC_ORDER = "public_order", _("治安")
    TRAFFIC = "traffic", _("交通")
    OTHER = "other", _("其他")


class Rating(models.TextChoices):
    """案件评查结论."""

    EXCELLENT = "excellent", _("优质案件")
    QUALIFIED = "qualified", _("合格")
    PROBLEM = "problem", _("问题案件")


class ReviewGround(models.TextChoices):
    """The six review grounds (评查要点) the legal department applies."""

    FACTS = "facts", _("事实是否清楚")
    EVIDENCE = "evidence", _("证据是否确实充分")
    LAW = "law", _("适用法律是否正确")
    PROCEDURE = "procedure", _("程序是否合法")
    DECISION = "decision", _("处理是否适当")
    DOCUMENTS = "documents", _("文书是否规范")


class Verdict(models.TextChoices):
    SOUND = "sound", _("符合")
    FLAWED = "flawed", _("存在瑕疵")
    WRONG = "wrong", _("存在问题")


class AnnotationKind(models.TextChoices):
    HIGHLIGHT = "highlight", _("标注")
    NOTE = "note", _("批注")
    ARTICLE = "article", _("关联法条")


class TextField(models.TextChoices):
    """The case texts that can carry annotations."""

    FACTS = "facts", _("基本案情")
    HANDLING = "handling", _("处理结果")
    REASONING = "reasoning", _("裁判理由")


class AnnotationStatus(models.TextChoices):
    PLACED = "placed", _("正常")
    FLAGGED = "flagged", _("无法定位，待处理")
