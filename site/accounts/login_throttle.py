"""One login throttle for every way to sign in, built on django-axes.

Every ``django.contrib.auth.authenticate()`` call passes ``AxesStandaloneBackend`` first (it is
the first of ``AUTHENTICATION_BACKENDS``), whichever view makes it: the site's login page,
Wagtail's admin login (/admin/login/), Wagtail's page-privacy login (/_util/login/). Failures
are recorded in the database by axes (``AccessAttempt``), so every worker and every app server
sees the same counts, and a failure on one route counts on all of them.

The rules (docs/SECURITY.md):

- **Per account**: ``AXES_FAILURE_LIMIT`` failures (5) inside ``AXES_COOLOFF_TIME`` (15 min)
  lock the account; while locked even the right password is refused. The lock ends
  ``AXES_COOLOFF_TIME`` after the failure that set it (attempts during the lock are not
  recorded, so they do not extend it), which is what the message says.
- **Per address**: ``FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT`` failures (50) from one client address
  inside the same window mark the address. A marked address gets the lockout page for every
  further *failure* (each still counts against its account), and a warning in the log; a right
  password for an account that is not itself locked is let through. Hundreds of officers share
  one address behind a station's NAT or the proxy at exam start: their typos must not lock out
  the colleagues who type correctly. Guessing stays bounded by the per-account limit.
- The client address comes from ``core.client_ip`` with ``FAZHI_TRUSTED_PROXIES`` proxies.
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out

from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.client_ip import client_address

log = logging.getLogger(__name__)


def request_client_address(request) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: the client address through the trusted proxies."""
    return client_address(request.META, settings.FAZHI_TRUSTED_PROXIES)


def normalised_username(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: one counter per account however the name is typed."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "POST", {}).get("username")
    if value is None:
        return None
    return str(value).strip().casefold()[:255] or None


def _window_start(request):
    return timezone.now() - get_cool_off(request)


def address_failures(request) -> int:
    address = getattr(request, "axes_ip_address", None) or request_client_address(request)
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=_window_start(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return total or 0


def address_is_marked(request) -> bool:
    return address_failures(request) >= settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, locking accounts at ``AXES_FAILURE_LIMIT`` (its lockout parameter
    is the username) and marking addresses at ``FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT``."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_is_marked(request):
            log.warning(
                "Login failures from address %s reached %d in %s; further failures from it get the lockout page.",
                request.axes_ip_address,
                settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT,
                get_cool_off(request),
            )
            request.axes_locked_out = True
            request.axes_address_marked = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page in the site's layout (HTTP 429), saying when
    the lock ends. For the Wagtail admin's and page-privacy logins too."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, int(cool_off.total_seconds() // 60))
    address_only = getattr(request, "axes_address_marked", False)
    until = None
    username = get_client_username(request, credentials)
    if not address_only and username:
        last = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=_window_start(request)
        ).aggregate(last=Max("attempt_time"))["last"]
        if last is not None:
            until = timezone.localtime(last + cool_off)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "minutes": minutes,
            "until": until,
            "address_only": address_only,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "login_url": reverse(
                "wagtailadmin_login" if request.path.startswith("/admin/") else "accounts:login"
            ),
        },
        status=429,
    )
