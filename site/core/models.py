"""Shared Wagtail pieces: the base page and site-wide settings."""

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page


class BasePage(Page):
    """Abstract parent of the portal's pages: an optional summary used in listings and search."""

    summary = models.TextField(
        _("摘要"), blank=True, help_text=_("列表和搜索结果中显示的简短说明。")
    )

    promote_panels = Page.promote_panels + [FieldPanel("summary")]

    class Meta:
        abstract = True


class SignedInOnlyPage:
    """Mixin for pages that only signed-in users may read (the casebook: cases are for officers).

    Anonymous visitors are sent to the site's own login page, which goes through the login
    throttle, rather than to Wagtail's page-privacy password form.
    """

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("名称"))
    page = blocks.PageChooserBlock(required=False, label=_("页面"))
    url = blocks.URLBlock(required=False, label=_("网址"))

    class Meta:
        icon = "link"
        label = _("链接")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """Extra links for the footer (常用链接), edited by administrators."""

    footer_links = StreamField(
        [("link", LinkBlock())], blank=True, use_json_field=True, verbose_name=_("页脚链接")
    )
    contact = models.CharField(
        _("联系方式"), max_length=200, blank=True, help_text=_("例如：法制大队 内线 8001")
    )

    panels = [FieldPanel("contact"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = _("导航与页脚")
