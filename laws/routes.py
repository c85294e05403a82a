"""URL routes under a law page (Wagtail routable page): article permalinks, versions, compare,
print view and .docx download. The views themselves are in `laws.views`."""

from wagtail.contrib.routable_page.models import path, re_path

import core.params  # noqa: F401  (registers the <id:…> path converter used below)

_ARTICLE = r"a/(?P<number>[0-9]+)(?:-(?P<suffix>[0-9]+))?/"


class LawRoutesMixin:
    @path("")
    def show_law(self, request):
        from laws import views

        return views.law_page(request, self, version_pk=None)

    @path("v/<id:version_pk>/")
    def version_view(self, request, version_pk):
        from laws import views

        return views.law_page(request, self, version_pk=version_pk)

    @re_path(r"^" + _ARTICLE + "$")
    def article_permalink(self, request, number, suffix=None):
        from laws import views

        return views.article_page(request, self, int(number), int(suffix or 0), version_pk=None)

    @re_path(r"^v/(?P<version_pk>[0-9]+)/" + _ARTICLE + "$")
    def version_article_permalink(self, request, version_pk, number, suffix=None):
        from laws import views

        return views.article_page(
            request, self, int(number), int(suffix or 0), version_pk=int(version_pk)
        )

    @path("compare/")
    def compare_versions(self, request):
        from laws import views

        return views.compare_page(request, self)

    @path("amendments/")
    def amendments(self, request):
        from laws import views

        return views.amendments_page(request, self)

    @path("print/")
    def print_view(self, request):
        from laws import views

        return views.print_page(request, self)

    @path("docx/")
    def download_docx(self, request):
        from laws import views

        return views.docx_download(request, self)
