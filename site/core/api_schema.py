"""OpenAPI schema hooks (drf-spectacular)."""


def public_endpoints_only(endpoints, **kwargs):
    """Document the site's own API, not Wagtail's internal admin API under /admin/."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/admin/")]
