from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, so an intranet PC
    with an English system would show the English site to someone who never asked for it.
    Here only the language cookie (set by the switch) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class RejectNulMiddleware:
    """A NUL character in the path, a query parameter or a form value is a 400.

    No legitimate request carries one, PostgreSQL cannot store or compare text holding one (a
    query filtering on it raises), and Django's form fields refuse it anyway; checking once here
    keeps every view that reads a raw parameter safe (issue 11, item 9). JSON bodies are the
    views' own business (the exam autosave parses and checks its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type in _FORM_TYPES
                and _has_nul(request.POST)
            )
        ):
            from django.core.exceptions import BadRequest
            from django.utils.translation import gettext as _

            raise BadRequest(_("请求中含有不允许的空字符（NUL）。"))
        return self.get_response(request)
