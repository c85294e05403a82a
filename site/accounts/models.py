"""Officers, units and their organisation.

A ``Unit`` (单位) is a node in the bureau's tree: bureau → brigades and police stations → teams.
Unit leaders see the records of their unit and everything below it, so the tree is stored as a
materialised path (treebeard, already a Wagtail dependency) to make "this unit and its
sub-units" one indexed prefix query.
"""

from treebeard.mp_tree import MP_Node

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("公安局")
    BRIGADE = "brigade", _("大队")
    STATION = "station", _("派出所")
    DEPARTMENT = "department", _("科室")
    TEAM = "team", _("中队")
    OTHER = "other", _("其他")


class Unit(MP_Node):
    """单位: one node of the organisation tree."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    kind = models.CharField(
        _("类型"), max_length=16, choices=UnitKind.choices, default=UnitKind.OTHER
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        permissions = [
            ("view_unit_records", _("查看本单位及下级单位的执法档案和考试统计")),
        ]

    def __str__(self):
        return self.name

    @property
    def full_name(self) -> str:
        """The unit's name with its ancestors below the root, e.g. 治安大队 / 巡逻中队."""
        names = [u.name for u in self.get_ancestors()[1:]] + [self.name]
        return " / ".join(names)

    def subtree(self):
        """This unit and all units below it."""
        return Unit.objects.filter(path__startswith=self.path)


class QualificationLevel(models.TextChoices):
    """执法资格等级."""

    NONE = "none", _("未取得")
    BASIC = "basic", _("基本级")
    INTERMEDIATE = "intermediate", _("中级")
    ADVANCED = "advanced", _("高级")

    @classmethod
    def rank(cls, value: str) -> int:
        return [c.value for c in cls].index(value)


class OfficerManager(UserManager):
    def officers(self):
        return self.filter(is_active=True, police_number__isnull=False)


class User(AbstractUser):
    """An account. Officers sign in with their police number (警号) as the username."""

    police_number = models.CharField(
        _("警号"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("民警的警号；非民警账户可留空。"),
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    qualification_level = models.CharField(
        _("执法资格等级"),
        max_length=16,
        choices=QualificationLevel.choices,
        default=QualificationLevel.NONE,
    )
    qualification_updated_at = models.DateTimeField(_("资格等级更新时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    objects = OfficerManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("import_roster", _("导入民警名册"))]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def get_short_name(self):
        return self.full_name or self.username
