from django.db import models
from django.utils.translation import gettext_lazy as _


class LawLevel(models.TextChoices):
    """效力级别: level of legal force, highest first."""

    CONSTITUTION = "宪法", _("宪法")
    LAW = "法律", _("法律")
    ADMINISTRATIVE_REGULATION = "行政法规", _("行政法规")
    SUPERVISORY_REGULATION = "监察法规", _("监察法规")
    JUDICIAL_INTERPRETATION = "司法解释", _("司法解释")
    DEPARTMENTAL_RULE = "部门规章", _("部门规章")
    LOCAL_REGULATION = "地方性法规", _("地方性法规")
    NORMATIVE_DOCUMENT = "规范性文件", _("规范性文件")


class VersionStatus(models.TextChoices):
    """时效性: whether a version is the one in force."""

    IN_FORCE = "现行有效", _("现行有效")
    AMENDED = "已修改", _("已修改")
    REPEALED = "已废止", _("已废止")
    NOT_YET_EFFECTIVE = "尚未生效", _("尚未生效")


class ChangeKind(models.TextChoices):
    CHANGED = "changed", _("已修改")
    REMOVED = "removed", _("已删除")


class UnitKind(models.TextChoices):
    """What a citable unit is (see laws.parsing.UnitKind): 第X条, an item 一、, or the whole text."""

    ARTICLE = "article", _("条")
    ITEM = "item", _("项")
    TEXT = "text", _("全文")
