"""以案释法: annotated cases linked to the articles they apply.

- `CaseIndexPage` is the case library; `CasePage` one case in the guiding-case structure
  (指导性案例体例): title, case number, kind, handling unit, date, keywords, key points,
  related articles, facts (基本案情), handling and result (处理结果), reasoning (裁判理由)
  and the legal department's commentary (评析, a StreamField).
- `CaseArticle` cites a `laws.Article` row, i.e. the version in force at the time of the case.
- `ReviewFinding` is one finding of the quality review (案件评查) on one of six grounds.
- `Annotation` (批注) marks a passage of one case text by character offsets. When the text is
  saved with changes the offsets move (casebook.offsets); an annotation whose passage is gone
  is kept with status ``flagged`` for staff.
"""

from __future__ import annotations

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from casebook.blocks import CommentaryBlock
from casebook.choices import (
    AnnotationKind,
    AnnotationStatus,
    CaseKind,
    Rating,
    ReviewGround,
    TextField,
    Verdict,
)
from core.models import BasePage, SignedInOnlyPage

TEXT_FIELDS = tuple(TextField.values)


class CaseIndexPage(SignedInOnlyPage, BasePage):
    """以案释法栏目: lists published cases with filters (kind, keyword, article, year, rating)."""

    intro = models.TextField(_("简介"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["casebook.CasePage"]
    max_count = 1
    template = "pages/case_index_page.html"

    class Meta:
        verbose_name = _("以案释法栏目")

    def get_context(self, request, *args, **kwargs):
        from casebook import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.case_index_context(index_page=self, params=request.GET, user=request.user)
        )
        return context


class CasePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "casebook.CasePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CasePage(SignedInOnlyPage, BasePage):
    """案例: one case, following the guiding-case structure."""

    case_number = models.CharField(_("案号/文号"), max_length=120, blank=True)
    kind = models.CharField(
        _("案件类别"),
        max_length=20,
        choices=CaseKind.choices,
        default=CaseKind.CRIMINAL,
        db_index=True,
    )
    handling_unit = models.CharField(_("办案单位"), max_length=120, blank=True)
    decided_on = models.DateField(
        _("处理日期"),
        null=True,
        blank=True,
        help_text=_("裁判或处理决定的日期；决定引用哪一版本的法条。"),
    )
    year = models.PositiveSmallIntegerField(
        _("年份"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("没有处理日期时，按案号中的年份。"),
    )
    keywords = ClusterTaggableManager(through=CasePageTag, blank=True, verbose_name=_("关键词"))
    key_points = models.TextField(_("裁判要点/评析要点"), blank=True)
    facts = models.TextField(_("基本案情"))
    handling = models.TextField(_("处理结果"), blank=True)
    reasoning = models.TextField(_("裁判理由"), blank=True)
    commentary = StreamField(
        CommentaryBlock(), blank=True, use_json_field=True, verbose_name=_("评析")
    )
    full_text = models.TextField(
        _("文书原文"), blank=True, help_text=_("导入时的原文，仅法制员可见。")
    )

    rating = models.CharField(
        _("评查结论"), max_length=20, choices=Rating.choices, blank=True, db_index=True
    )
    reviewed_on = models.DateField(_("评查日期"), null=True, blank=True)
    reviewer = models.CharField(_("评查人"), max_length=60, blank=True)

    import_key = models.CharField(
        _("导入来源标识"), max_length=120, null=True, blank=True, unique=True, editable=False
    )
    pii_masked = models.JSONField(_("已遮盖的个人信息"), default=dict, blank=True, editable=False)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("case_number"), FieldPanel("kind")]),
                FieldRowPanel(
                    [FieldPanel("handling_unit"), FieldPanel("decided_on"), FieldPanel("year")]
                ),
                FieldPanel("keywords"),
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("key_points"),
        InlinePanel("case_articles", label=_("关联法条")),
        FieldPanel("facts"),
        FieldPanel("handling"),
        FieldPanel("reasoning"),
        FieldPanel("commentary"),
        FieldPanel("full_text"),
    ]
    review_panels = [
        FieldRowPanel(
            [
                FieldPanel("rating", permission="casebook.review_case"),
                FieldPanel("reviewed_on", permission="casebook.review_case"),
                FieldPanel("reviewer", permission="casebook.review_case"),
            ]
        ),
        InlinePanel("findings", label=_("评查意见")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("案例内容")),
            ObjectList(review_panels, heading=_("案件评查"), permission="casebook.review_case"),
            ObjectList(BasePage.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )
    search_fields = BasePage.search_fields + [
        index.SearchField("case_number"),
        index.SearchField("facts"),
        index.FilterField("kind"),
        index.FilterField("rating"),
        index.FilterField("year"),
    ]
    parent_page_types = ["casebook.CaseIndexPage"]
    subpage_types = []
    template = "pages/case_page.html"

    class Meta:
        verbose_name = _("案例")
        verbose_name_plural = _("案例")
        permissions = [
            ("annotate_case", _("可批注案例")),
            ("review_case", _("可评查案例")),
            ("import_cases", _("可导入、导出案例")),
        ]

    # --- edit handling -----------------------------------------------------------------
    def save(self, *args, **kwargs):
        """Move annotation offsets whenever a case text changes (publish, import, direct save)."""
        update_fields = kwargs.get("update_fields")
        old = None
        if self.pk and (update_fields is None or set(update_fields) & set(TEXT_FIELDS)):
            old = CasePage.objects.filter(pk=self.pk).values(*TEXT_FIELDS).first()
        for name in TEXT_FIELDS:
            # Browsers send CRLF; the rendered text (and so every selection offset) has LF only.
            value = getattr(self, name)
            if value and "\r" in value:
                setattr(self, name, value.replace("\r\n", "\n").replace("\r", "\n"))
        if self.decided_on and not self.year:
            self.year = self.decided_on.year
        result = super().save(*args, **kwargs)
        from casebook.services import case_articles_pin

        case_articles_pin(case=self)
        if old:
            changed = {
                f: (old[f] or "", getattr(self, f) or "")
                for f in TEXT_FIELDS
                if old[f] != getattr(self, f)
            }
            if changed:
                from casebook.services import annotations_rebase

                annotations_rebase(case=self, changes=changed)
        return result

    def get_context(self, request, *args, **kwargs):
        from casebook import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.case_page_context(case=self, user=request.user))
        if context["can_annotate"]:
            from casebook.forms import AnnotationForm

            context["annotation_form"] = AnnotationForm()
        return context

    def text_of(self, field: str) -> str:
        if field not in TEXT_FIELDS:
            raise ValueError(field)
        return getattr(self, field) or ""

    @property
    def date_label(self) -> str:
        if self.decided_on:
            return f"{self.decided_on:%Y-%m-%d}"
        return str(self.year) if self.year else ""

    @property
    def effective_date(self):
        """The date that decides which article version applied (decision date, else year end)."""
        import datetime

        if self.decided_on:
            return self.decided_on
        if self.year:
            return datetime.date(self.year, 12, 31)
        return None


class CaseArticle(Orderable):
    """关联法条: a version-pinned article the case applies.

    Staff type the citation (a select over the whole library would be unusable); ``clean``
    resolves it to the article of the version in force on the case's date.
    """

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="case_articles")
    citation = models.CharField(
        _("条文"), max_length=200, blank=True, help_text=_("例如：《刑法》第一百三十三条之一")
    )
    article = models.ForeignKey(
        "laws.Article",
        on_delete=models.CASCADE,
        related_name="cited_by_cases",
        verbose_name=_("条文"),
        editable=False,
    )
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("例如：第一款第（二）项")
    )

    panels = [FieldPanel("citation"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("关联法条")
        verbose_name_plural = _("关联法条")
        constraints = [
            models.UniqueConstraint(fields=["page", "article"], name="casebook_article_once")
        ]

    def __str__(self):
        return str(self.article) if self.article_id else self.citation

    def clean(self):
        from casebook.parsing import ArticleRef
        from casebook.services import resolve_article

        if not self.citation.strip():
            if not self.article_id:
                raise ValidationError(
                    {"citation": _("请填写条文，例如《刑法》第一百三十三条之一。")}
                )
            return
        if self.article_id and self.citation.strip() == self.article.citation:
            return
        # Inside the admin's inline formset the page is not attached yet: resolve against the
        # current text here, and CasePage.save pins it to the version in force on the case date.
        page = CasePage.objects.filter(pk=self.page_id).first() if self.page_id else None
        article = resolve_article(
            ArticleRef(citation=self.citation.strip()), on=page.effective_date if page else None
        )
        if article is None:
            raise ValidationError({"citation": _("法规库中找不到这一条文，请检查法规名称和条号。")})
        self.article = article
        self.citation = article.citation


class ReviewFinding(Orderable):
    """评查意见: a ground, a verdict and a note."""

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="findings")
    ground = models.CharField(_("评查要点"), max_length=20, choices=ReviewGround.choices)
    verdict = models.CharField(
        _("结论"), max_length=20, choices=Verdict.choices, default=Verdict.SOUND
    )
    note = models.TextField(_("说明"), blank=True)

    panels = [FieldRowPanel([FieldPanel("ground"), FieldPanel("verdict")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("评查意见")
        verbose_name_plural = _("评查意见")


class AnnotationQuerySet(models.QuerySet):
    def flagged(self):
        return self.filter(status=AnnotationStatus.FLAGGED)

    def placed(self):
        return self.filter(status=AnnotationStatus.PLACED)


class Annotation(models.Model):
    """批注: a highlight, a note or an article link on a passage ``[start, end)`` of one text."""

    page = models.ForeignKey(
        CasePage, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("案例")
    )
    field = models.CharField(_("所在部分"), max_length=20, choices=TextField.choices)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    quote = models.TextField(_("批注原文"), help_text=_("创建或最近一次定位时所批注的文字。"))
    kind = models.CharField(
        _("类型"), max_length=20, choices=AnnotationKind.choices, default=AnnotationKind.NOTE
    )
    note = models.TextField(_("批注内容"), blank=True)
    article = models.ForeignKey(
        "laws.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_annotations",
        verbose_name=_("关联条文"),
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=AnnotationStatus.choices,
        default=AnnotationStatus.PLACED,
        db_index=True,
    )
    flag_reason = models.CharField(_("待处理原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批注人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("批注")
        verbose_name_plural = _("批注")
        ordering = ["page", "field", "start", "end", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.quote[:20]}"

    def clean(self):
        if self.kind == AnnotationKind.ARTICLE and not self.article_id:
            raise ValidationError({"article": _("关联法条类型的批注必须选择条文。")})
        if self.status == AnnotationStatus.PLACED:
            text = self.page.text_of(self.field)
            if not (0 <= self.start < self.end <= len(text)):
                raise ValidationError(_("批注位置超出了文本范围。"))

    @property
    def is_flagged(self) -> bool:
        return self.status == AnnotationStatus.FLAGGED
