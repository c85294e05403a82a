"""Error pages (400, 403, 404, 500) in the site's layout and the visitor's language.

Django's own handlers render 400 and 500 without the request, and fall back to a bare English
"403 Forbidden" when there is no 403.html. These render the site's templates; the language is
the one ``ChineseFirstLocaleMiddleware`` activated for the request (the language cookie).
"""

import logging

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

logger = logging.getLogger(__name__)

_PLAIN = (
    "<!DOCTYPE html><html lang='zh-hans'><head><meta charset='utf-8'><title>法制在线</title></head>"
    "<body><h1>{title}</h1><p><a href='/'>返回首页 / Home</a></p></body></html>"
)


def _render(
    request, template_name, response_class, *, with_request=True, plain_title="", context=None
):
    """Render an error template; if even that fails, answer with a minimal page.

    An error page must never raise: the template, a context processor or the database may be
    the very thing that failed.
    """
    try:
        template = loader.get_template(template_name)
        if with_request:
            return response_class(template.render(context or {}, request))
        return response_class(template.render({}))
    except Exception:
        logger.exception("error page %s could not be rendered", template_name)
        return response_class(_PLAIN.format(title=plain_title))


def bad_request(request, exception=None):
    # The message of a BadRequest raised by the site's own checks (core.params: "参数“unit”应为…
    # 的整数") is for the visitor; a SuspiciousOperation's (bad host, oversized upload) is for
    # the log only.
    message = ""
    if isinstance(exception, BadRequest) and not isinstance(exception, SuspiciousOperation):
        message = str(exception)
    return _render(
        request,
        "400.html",
        HttpResponseBadRequest,
        plain_title="400",
        context={"message": message},
    )


def permission_denied(request, exception=None):
    return _render(request, "403.html", HttpResponseForbidden, plain_title="403")


def page_not_found(request, exception=None):
    return _render(request, "404.html", HttpResponseNotFound, plain_title="404")


def server_error(request):
    # Rendered without the request context: the database or a context processor may be the
    # very thing that failed. The language is still the visitor's (activated by middleware).
    return _render(
        request, "500.html", HttpResponseServerError, with_request=False, plain_title="500"
    )


def not_found(request, *args, **kwargs):
    """A route that exists only to be refused (Wagtail's shared page-password form)."""
    raise Http404
