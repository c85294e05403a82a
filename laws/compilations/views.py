"""Routes under a compilation page (``compilations.models.CompilationPage``): the A4 print
booklet and the .docx download. The reading page itself is the page's own template."""

from __future__ import annotations

from core.documents import docx_response
from laws.compilations import documents, selectors


def print_page(request, page):
    """打印版: the whole compilation laid out as an A4 booklet (contents, then the text)."""
    context = selectors.compilation_reading(page, viewer=request.user, practice=False)
    return page.render(request, template="pages/compilation_print.html", context_overrides=context)


def docx_download(request, page):
    sections = selectors.resolve(page)
    data = documents.compilation_docx(page=page, sections=sections)
    return docx_response(data, f"{page.title}.docx")
