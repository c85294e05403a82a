"""One rule for every redirect whose target comes from the request (``next``) or from stored
data: it must stay on this site. Anything else (another host, another scheme, ``//host``,
``/\\host``, ``javascript:``) is replaced by the view's own fallback."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_target(request, target: str | None) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_target(request, target: str | None, fallback, *args, **kwargs) -> str:
    """``target`` if it stays on this site, else ``fallback`` (a URL, a URL name with its
    arguments, or a model with get_absolute_url)."""
    if is_safe_target(request, target):
        return target
    return resolve_url(fallback, *args, **kwargs)


def next_target(request, fallback, *args, field: str = "next", **kwargs) -> str:
    """The request's ``next`` (POST first, then the query string) if it stays on this site."""
    target = request.POST.get(field) or request.GET.get(field)
    return safe_target(request, target, fallback, *args, **kwargs)


def redirect_next(request, fallback, *args, **kwargs) -> HttpResponseRedirect:
    return redirect(next_target(request, fallback, *args, **kwargs))
