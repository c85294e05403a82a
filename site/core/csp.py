"""The site's Content-Security-Policy middleware: django-csp's, plus the relaxations that
Wagtail's admin needs, applied under /admin/ only (see ``settings.CSP_ADMIN_UPDATE`` and
docs/SECURITY.md). Everything officers see gets the strict policy from the settings."""

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_update = getattr(settings, "CSP_ADMIN_UPDATE", None)
        if admin_update and request.path_info.startswith("/admin/"):
            merged = dict(parts.update or {})
            for directive, sources in admin_update.items():
                merged[directive] = [*merged.get(directive, []), *sources]
            parts.update = merged
        return parts
