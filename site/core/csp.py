"""The site's Content-Security-Policy middleware: django-csp's, plus the relaxations that
Wagtail's admin needs, applied under /admin/ only (see ``settings.CSP_ADMIN_UPDATE`` and
docs/SECURITY.md). Everything officers see gets the strict policy from the settings.

The header is built once per kind of response and reused: the policy has no nonce unless a
template asked for one, and no view of this site changes it per response, so the string
django-csp builds is the same for every response of the officers' pages, and the same for
every response under /admin/. django-csp builds it anew for each response (about a tenth of an
answer save's CPU); a response that uses a nonce or carries its own ``@csp_*`` settings still
goes through django-csp unchanged."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts

from django.conf import settings

# What django-csp's decorators set on a response (csp.decorators): such a response is built
# by django-csp itself.
_PER_RESPONSE = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_config_ro",
    "_csp_update",
    "_csp_update_ro",
    "_csp_replace",
    "_csp_replace_ro",
)


def _excluded_prefixes() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


class SiteCSPMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        # (under /admin/, the settings) → the CSP headers django-csp set on such a response
        self._headers: dict[tuple, dict[str, str]] = {}

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_update = getattr(settings, "CSP_ADMIN_UPDATE", None)
        if admin_update and request.path_info.startswith("/admin/"):
            merged = dict(parts.update or {})
            for directive, sources in admin_update.items():
                merged[directive] = [*merged.get(directive, []), *sources]
            parts.update = merged
        return parts

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or _excluded_prefixes()
        ):
            return super().process_response(request, response)
        # keyed by the settings objects too, so that a changed setting (a test's
        # override_settings) is never answered with the header of the old one
        admin = (
            request.path_info.startswith("/admin/"),
            id(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
            id(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)),
            id(getattr(settings, "CSP_ADMIN_UPDATE", None)),
        )
        headers = self._headers.get(admin)
        if headers is None:
            response = super().process_response(request, response)
            self._headers[admin] = {
                h: response[h] for h in (HEADER, HEADER_REPORT_ONLY) if h in response
            }
            return response
        for name, value in headers.items():
            response[name] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
