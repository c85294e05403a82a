"""Load shedding for exam day: past capacity, answer 503 + ``Retry-After`` at once.

Gunicorn's sync workers take one request at a time; everything else waits in front of them
(nginx, the listen backlog). Past capacity that queue only grows, every request waits longer
than the browser's patience, and the server ends up working on requests nobody is waiting for
(issue 16: 18 saves/s served of 400 offered). The cure is to stop queueing: a request that has
already waited longer than ``FAZHI_SHED_QUEUE_MS`` is answered with 503 and ``Retry-After``
before it costs a session read or a query. The exam page keeps the answer in localStorage,
says so, and re-sends it after the delay with exponential backoff and jitter
(``static/js/exam-take.js``), so the queue stays short and the workers spend their time on
requests that can still be answered in time: served throughput stays near capacity.

How long a request waited is measured by nginx, which stamps every proxied request with
``X-Request-Start: t=<seconds since the epoch>`` (``deploy/nginx-fazhi.conf``). This works the
same with any number of workers and application servers and needs no shared counter (with
sync workers a per-process in-flight counter is always 0 or 1, and a Redis counter would add a
round trip to every save). Without the header (gunicorn reached directly, the test client)
nothing is shed. The servers' clocks must agree (NTP), as for any deployment.

Only the exam page's API is shed (``FAZHI_SHED_PATHS``): it is what exam day multiplies, and
its client knows how to wait. The submit is never shed: it happens once per officer, and the
deadline sweep closes an attempt with its saved answers anyway.
"""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpResponse

logger = logging.getLogger(__name__)


def queue_seconds(header: str | None, now: float) -> float | None:
    """Seconds since nginx received the request, from ``t=1700000000.123`` (or a bare number)."""
    if not header:
        return None
    value = header[2:] if header.startswith("t=") else header
    try:
        started = float(value)
    except ValueError:
        return None
    if started > 1e12:  # milliseconds or microseconds, as other proxies write it
        started /= 1e3 if started < 1e15 else 1e6
    waited = now - started
    return waited if 0 <= waited < 3600 else None


class LoadShedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = getattr(settings, "FAZHI_SHED_QUEUE_MS", 500) / 1000
        self.paths = tuple(getattr(settings, "FAZHI_SHED_PATHS", ("/api/exams/",)))
        self.exempt = tuple(getattr(settings, "FAZHI_SHED_EXEMPT_SUFFIXES", ("/submit/",)))
        self.retry_after = int(getattr(settings, "FAZHI_SHED_RETRY_AFTER", 5))
        self.shed_count = 0

    def __call__(self, request):
        if self.limit > 0 and request.path.startswith(self.paths):
            waited = queue_seconds(request.META.get("HTTP_X_REQUEST_START"), time.time())
            if (
                waited is not None
                and waited > self.limit
                and not request.path.endswith(self.exempt)
            ):
                return self.shed(waited)
        return self.get_response(request)

    def shed(self, waited: float) -> HttpResponse:
        body = {
            "error": "busy",
            "detail": "服务器繁忙，答案已暂存在本机，稍后自动重新提交。",
            "retry_after": self.retry_after,
            "queued_ms": round(waited * 1000),
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=503,
            content_type="application/json",
        )
        response["Retry-After"] = str(self.retry_after)
        response["Cache-Control"] = "no-store"
        # Not an error of the application: keep Django from logging (and mailing) every one.
        response._has_been_logged = True
        self.shed_count += 1
        if self.shed_count % 1000 == 1:
            logger.warning(
                "load shedding: %d exam-API requests refused by this worker so far (queued %.0f ms)",
                self.shed_count,
                waited * 1000,
            )
        return response
