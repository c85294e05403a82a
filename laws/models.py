"""The regulations library (法规库): law → version → article.

- `LawIndexPage` is the library (one per site); `LawPage` is one law (法规), a Wagtail page.
- `LawVersion` is one text of a law at a date (版本). A law's current version is the one in force.
- `Heading` is a structure heading of a version (编/分编/章/节); `Article` is one article (条).
- Other apps cite an `Article` with a foreign key: that pins the citation to that version's text.
  The stable key across versions is ``Article.key == (law_id, number, suffix)``.
- `ArticleChange` records an article changed or removed by a newer version (impact list).
"""

from __future__ import annotations

from functools import cached_property

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.search import index

from core.models import BasePage
from laws.choices import ChangeKind, LawLevel, UnitKind, VersionStatus
from laws.numerals import article_label, int_to_cn
from laws.routes import LawRoutesMixin

__all__ = [
    "LawLevel",
    "VersionStatus",
    "ChangeKind",
    "LawIndexPage",
    "LawPage",
    "LawPageTag",
    "LawVersion",
    "Heading",
    "Article",
    "ArticleChange",
    "AmendmentLink",
]


class LawIndexPage(BasePage):
    """法规库: the library index, with facets by level, status, issuing body and year."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["laws.LawPage"]
    max_count = 1
    template = "pages/law_index_page.html"

    class Meta:
        verbose_name = _("法规库")

    def get_context(self, request, *args, **kwargs):
        from laws.selectors import law_library
        from laws.services import ensure_statuses_current

        ensure_statuses_current()
        context = super().get_context(request, *args, **kwargs)
        context.update(law_library(index_page=self, params=request.GET))
        return context


class LawPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "laws.LawPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class LawPage(LawRoutesMixin, RoutablePageMixin, BasePage):
    """法规: one law or regulation. The page title is the full official title.

    Level, dates and status of the current version are copied onto the page (by
    `laws.services.law_refresh`) so the library can filter and sort without joins.
    """

    short_title = models.CharField(
        _("简称"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("例如：刑法、治安管理处罚法。用于引用识别。"),
    )
    level = models.CharField(
        _("效力级别"), max_length=10, choices=LawLevel.choices, default=LawLevel.LAW
    )
    issuing_body = models.CharField(_("制定机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=200, blank=True)
    tags = ClusterTaggableManager(through=LawPageTag, blank=True, verbose_name=_("主题标签"))
    repealed = models.BooleanField(
        _("已废止"), default=False, help_text=_("整部法规已被废止（不是被新版本替代）。")
    )
    # Denormalised from the current version (see law_refresh); not edited by hand.
    status = models.CharField(
        _("时效性"), max_length=10, choices=VersionStatus.choices, blank=True, db_index=True
    )
    promulgation_date = models.DateField(_("公布日期"), null=True, blank=True, db_index=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    sector = models.CharField(
        _("法律部门"), max_length=20, blank=True, db_index=True, help_text=_("例如：刑法、行政法。")
    )
    region = models.CharField(
        _("地区（省级）"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("地方性法规所属省份。"),
    )
    city = models.CharField(_("地区（市级）"), max_length=20, blank=True)
    essential = models.BooleanField(
        _("公安常用法规"),
        default=False,
        db_index=True,
        help_text=_("由法制部门选定，在法规库首页优先展示。"),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("short_title"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("issuing_body"),
                FieldPanel("document_number"),
                FieldPanel("repealed"),
                FieldPanel("sector"),
                FieldPanel("region"),
                FieldPanel("city"),
                FieldPanel("essential"),
            ],
            heading=_("法规信息"),
        ),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("short_title"),
        index.FilterField("level"),
        index.FilterField("status"),
    ]
    parent_page_types = ["laws.LawIndexPage"]
    subpage_types: list[str] = []
    template = "pages/law_page.html"
    # Wagtail's own search index (admin search) is updated by the importer, in bulk at the end
    # of a large import, and on publish (laws.handlers): not on every save, whose per-row
    # statistics update would make a national import quadratic.
    search_auto_update = False

    class Meta:
        verbose_name = _("法规")
        verbose_name_plural = _("法规")

    @cached_property
    def version_list(self) -> list[LawVersion]:
        """Every version, oldest first (one query per page object)."""
        return list(self.versions.order_by("version_date", "pk"))

    @cached_property
    def current_version(self) -> LawVersion | None:
        """The version in force today; the newest version when none is (e.g. repealed)."""
        versions = self.version_list
        for status in (
            VersionStatus.IN_FORCE,
            VersionStatus.REPEALED,
            VersionStatus.NOT_YET_EFFECTIVE,
        ):
            chosen = [v for v in versions if v.status == status]
            if chosen:
                return chosen[-1]
        return versions[-1] if versions else None

    @property
    def display_short_title(self) -> str:
        return self.short_title or self.title


class LawVersion(models.Model):
    """版本: the text of a law as adopted or amended at a date."""

    law = models.ForeignKey(
        LawPage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("法规")
    )
    version_date = models.DateField(_("版本日期"), help_text=_("通过或修改的日期，用于排列版本。"))
    promulgation_date = models.DateField(_("公布日期"), null=True, blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    history = models.JSONField(
        _("历史沿革"), default=list, blank=True, help_text=_("[{date, text}]")
    )
    preamble = models.TextField(_("前言"), blank=True, help_text=_("第一条之前或没有条文的正文。"))
    status = models.CharField(
        _("时效性"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.IN_FORCE
    )
    content_hash = models.CharField(_("内容校验值"), max_length=64, db_index=True)
    source_file = models.CharField(_("来源文件"), max_length=500, blank=True)
    source_format = models.CharField(_("来源格式"), max_length=10, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    import_warnings = models.JSONField(
        _("导入提示"),
        default=list,
        blank=True,
        help_text=_("导入时发现、但不妨碍导入的问题（如条号缺失），供法制人员核对。"),
    )

    class Meta:
        verbose_name = _("法规版本")
        verbose_name_plural = _("法规版本")
        ordering = ["law", "version_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["law", "content_hash"], name="laws_version_unique_text"
            ),
        ]

    def __str__(self):
        return f"{self.law.title}（{self.version_date:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return f"{self.law.url}v/{self.pk}/"

    @property
    def is_current(self) -> bool:
        current = self.law.current_version
        return current is not None and current.pk == self.pk

    @property
    def label(self) -> str:
        return f"{self.version_date:%Y-%m-%d}"

    @property
    def effective_before_promulgation(self) -> bool:
        """The importer drops such dates (laws.dates); one entered by hand is shown with a note."""
        return bool(
            self.effective_date
            and self.promulgation_date
            and self.effective_date < self.promulgation_date
        )


class Heading(models.Model):
    """A structure heading (编/分编/章/节) or an unnumbered one (序言, 附则, 附件)."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="headings")
    kind = models.CharField(max_length=4, blank=True)
    rank = models.PositiveSmallIntegerField(default=3)
    number = models.PositiveIntegerField(null=True, blank=True)
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(help_text="number of articles before this heading")
    order = models.PositiveIntegerField()
    paragraphs = models.TextField(
        blank=True, help_text="text directly under the heading, one paragraph a line"
    )

    class Meta:
        verbose_name = _("章节标题")
        ordering = ["version", "order"]

    def __str__(self):
        return self.text

    @property
    def anchor(self) -> str:
        return f"h{self.order}"


class Article(models.Model):
    """条: one article of one version. Paragraphs (款) and items (项) are lines of `text`."""

    version = models.ForeignKey(
        LawVersion, on_delete=models.CASCADE, related_name="articles", verbose_name=_("版本")
    )
    # Denormalised from version.law: the stable key (law, number, suffix) is looked up a lot.
    law = models.ForeignKey(
        LawPage, on_delete=models.CASCADE, related_name="articles", verbose_name=_("法规")
    )
    number = models.PositiveIntegerField(_("条号"))
    suffix = models.PositiveSmallIntegerField(
        _("之几"), default=0, help_text=_("0 表示无；1 表示“之一”。")
    )
    label = models.CharField(_("条文序号"), max_length=40)
    kind = models.CharField(
        _("单元类型"),
        max_length=8,
        choices=UnitKind.choices,
        default=UnitKind.ARTICLE,
        help_text=_("条：第X条；项：按“一、二、”分项的文件；全文：既无条也无项的文件。"),
    )
    heading_path = models.JSONField(_("所属章节"), default=list, blank=True)
    text = models.TextField(_("条文"))
    order = models.PositiveIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number", "suffix"], name="laws_article_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["law", "number", "suffix"], name="laws_article_key")]

    def __str__(self):
        return f"{self.law.display_short_title} {self.label}"

    def get_absolute_url(self) -> str:
        """Permalink of the article (follows the current version)."""
        return f"{self.law.url}a/{self.slug}/"

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.law_id, self.number, self.suffix)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p]

    @property
    def display_label(self) -> str:
        """How the unit is headed in the text: 第一条, 一、 (an item), or nothing (全文)."""
        if self.kind == UnitKind.ITEM:
            return f"{int_to_cn(self.number)}、"
        if self.kind == UnitKind.TEXT:
            return ""
        return self.label

    @property
    def anchor(self) -> str:
        return f"a{self.number}-{self.suffix}" if self.suffix else f"a{self.number}"

    @property
    def slug(self) -> str:
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)

    @property
    def citation(self) -> str:
        """《中华人民共和国刑法》第一百三十三条之一"""
        return f"《{self.law.title}》{self.label}"

    def current(self) -> Article | None:
        """The same article (law, number, suffix) in the law's current version, or None if removed."""
        version = self.law.current_version
        if version is None:
            return None
        if version.pk == self.version_id:
            return self
        return Article.objects.filter(
            version=version, number=self.number, suffix=self.suffix
        ).first()

    def get_version_url(self) -> str:
        """Permalink of this article as it reads in this version."""
        return f"{self.law.url}v/{self.version_id}/a/{self.slug}/"

    @staticmethod
    def make_label(number: int, suffix: int = 0) -> str:
        return article_label(number, suffix)


class ArticleChange(models.Model):
    """An article changed or removed by a newer version; what cites `old_article` may need review."""

    law = models.ForeignKey(LawPage, on_delete=models.CASCADE, related_name="article_changes")
    version = models.ForeignKey(
        LawVersion, on_delete=models.CASCADE, related_name="changes", help_text="the new version"
    )
    old_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes_from")
    new_article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="changes_to"
    )
    kind = models.CharField(_("变化"), max_length=10, choices=ChangeKind.choices)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    reviewed = models.BooleanField(_("已复核"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("条文变化")
        verbose_name_plural = _("条文变化")
        ordering = ["-created_at", "old_article__order"]
        permissions = [
            ("view_impact", _("可查看法规修改影响清单")),
            ("review_impact", _("可标记法规修改影响已复核")),
            ("import_laws", _("可在管理后台导入法规文件")),
        ]

    def __str__(self):
        return f"{self.old_article} {self.get_kind_display()}"


class AmendmentLink(models.Model):
    """An amendment's item (or article) and the base-law article it modifies, adds or deletes.

    ``一、将刑法第十七条修改为……`` in 刑法修正案（十一） links that item to 刑法 第十七条. The base
    article is named by its stable key (law, number, suffix), so the link holds for every version
    of the base law; ``base_law`` stays empty until a law of that title is in the library."""

    MODIFIED, ADDED, DELETED = "modified", "added", "deleted"
    ACTIONS = [(MODIFIED, _("修改")), (ADDED, _("增加")), (DELETED, _("删除"))]

    amendment = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="amends", verbose_name=_("修正条款")
    )
    base_title = models.CharField(_("被修改法规（原文）"), max_length=100)
    base_law = models.ForeignKey(
        LawPage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendment_links",
        verbose_name=_("被修改法规"),
    )
    number = models.PositiveIntegerField(_("条号"))
    suffix = models.PositiveSmallIntegerField(_("之几"), default=0)
    action = models.CharField(_("修改方式"), max_length=10, choices=ACTIONS)

    class Meta:
        verbose_name = _("修正关系")
        verbose_name_plural = _("修正关系")
        ordering = ["amendment__version__version_date", "amendment__order"]
        indexes = [
            models.Index(fields=["base_law", "number", "suffix"], name="laws_amend_base_key"),
        ]

    def __str__(self):
        return f"{self.amendment} → {self.base_title}{self.target_label}"

    @property
    def target_label(self) -> str:
        return article_label(self.number, self.suffix)

    @property
    def base_url(self) -> str:
        if self.base_law_id is None:
            return ""
        slug = f"{self.number}-{self.suffix}" if self.suffix else str(self.number)
        return f"{self.base_law.url}a/{slug}/"
