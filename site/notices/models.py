"""通知公告: notices with attachments (Wagtail documents)."""

from modelcluster.fields import ParentalKey

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from core.blocks import BodyStreamBlock
from core.models import BasePage


class NoticeIndexPage(BasePage):
    max_count = 1
    subpage_types = ["notices.NoticePage"]
    parent_page_types = ["home.HomePage"]
    template = "pages/notice_index_page.html"

    class Meta:
        verbose_name = _("通知公告栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = (
            NoticePage.objects.child_of(self).live().public().order_by("-pinned", "-date", "-pk")
        )
        category = request.GET.get("category")
        if category in NoticeCategory.values:
            notices = notices.filter(category=category)
        context["page_obj"] = Paginator(notices, 20).get_page(request.GET.get("page"))
        context["categories"] = NoticeCategory.choices
        context["active_category"] = category
        return context


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", _("通知")
    ANNOUNCEMENT = "announcement", _("公告")
    EXAM = "exam", _("考试安排")
    LAW_UPDATE = "law_update", _("法规更新")


class NoticePage(BasePage):
    date = models.DateField(_("发布日期"), default=timezone.localdate)
    category = models.CharField(
        _("类别"), max_length=20, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    issuer = models.CharField(_("发布单位"), max_length=100, default="法制大队")
    pinned = models.BooleanField(_("置顶"), default=False)
    body = StreamField(BodyStreamBlock(), use_json_field=True, verbose_name=_("正文"))

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("category"),
        FieldPanel("issuer"),
        FieldPanel("pinned"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.FilterField("date")]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []
    template = "pages/notice_page.html"

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def plain_text(self) -> str:
        """The body as plain text, for search documents and summaries."""
        from django.utils.html import strip_tags

        parts = []
        for block in self.body:
            value = block.value
            if hasattr(value, "source"):
                parts.append(strip_tags(value.source))
            elif isinstance(value, str):
                parts.append(value)
            elif isinstance(value, dict) and "text" in value:
                parts.append(strip_tags(getattr(value["text"], "source", str(value["text"]))))
        return "\n".join(p for p in parts if p)


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("文件")
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self) -> str:
        return self.title or self.document.title
