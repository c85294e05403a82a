"""法律法规汇编 (compilations): collections of laws, articles and chapters that the legal
department puts together for officers (执法细则汇编 for the monthly exam, 现场执法常用法条, a
campaign's 汇编).

- `CompilationIndexPage` (法规汇编) lists the published compilations.
- `CompilationPage` is one compilation: a StreamField of sections (`compilations.blocks`), read
  as a page with a table of contents, printed as an A4 booklet (``print/``) and downloaded as a
  公文-style .docx (``docx/``). Wagtail's draft/publish workflow applies: officers only ever see
  the published revision, and an unpublished compilation is a 404 for them.

A compilation is also a scope elsewhere: practice by compilation (questions), an exam blueprint
section drawn from a compilation (exams) and search within a compilation (search); all of them
read the compilation through `compilations.selectors`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from core.models import BasePage, SignedInOnlyPage
from laws.compilations.blocks import CompilationBodyBlock


class CompilationIndexPage(SignedInOnlyPage, BasePage):
    """法规汇编: the list of published compilations."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["compilations.CompilationPage"]
    max_count = 1
    template = "pages/compilation_index_page.html"

    class Meta:
        verbose_name = _("法规汇编栏目")

    def get_context(self, request, *args, **kwargs):
        from laws.compilations.selectors import compilation_list

        context = super().get_context(request, *args, **kwargs)
        context["compilations"] = compilation_list(index_page=self)
        return context


class CompilationPage(SignedInOnlyPage, RoutablePageMixin, BasePage):
    """汇编: a title, a purpose line and ordered sections of items (see ``compilations.blocks``)."""

    purpose = models.CharField(
        _("用途"),
        max_length=200,
        blank=True,
        help_text=_("例如：2026年11月执法细则考试复习用。显示在标题下。"),
    )
    compiled_by = models.CharField(_("编印单位"), max_length=100, blank=True, default="法制大队")
    body = StreamField(
        CompilationBodyBlock(),
        use_json_field=True,
        verbose_name=_("内容"),
        help_text=_(
            "按顺序添加各部分；每部分可收录整部法规、选定条文或某一章节，并可在其间加入法制部门按语。"
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("purpose"),
        FieldPanel("compiled_by"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("purpose")]
    parent_page_types = ["compilations.CompilationIndexPage"]
    subpage_types: list[str] = []
    template = "pages/compilation_page.html"

    class Meta:
        verbose_name = _("法规汇编")
        verbose_name_plural = _("法规汇编")

    def get_context(self, request, *args, **kwargs):
        from laws.compilations.selectors import compilation_reading

        context = super().get_context(request, *args, **kwargs)
        context.update(compilation_reading(self, viewer=request.user))
        return context

    @path("print/")
    def print_view(self, request):
        from laws.compilations import views

        return views.print_page(request, self)

    @path("docx/")
    def download_docx(self, request):
        from laws.compilations import views

        return views.docx_download(request, self)
