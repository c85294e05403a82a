from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField

from core.blocks import BodyStreamBlock
from core.models import BasePage


class HomePage(BasePage):
    """The portal's front page: a welcome text and the panels the apps register (notices first)."""

    intro = RichTextField(_("欢迎词"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from .panels import home_panels

        context = super().get_context(request, *args, **kwargs)
        context["panels"] = home_panels(request)
        return context


class StandardPage(BasePage):
    """An ordinary content page (关于我们, 使用说明 …)."""

    body = StreamField(BodyStreamBlock(), blank=True, use_json_field=True, verbose_name=_("正文"))

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("普通页面")
