"""The JSON API's answer to a malformed request (the 400 page is ``core.views.bad_request``)."""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation


def api_exception_handler(exc, context):
    """DRF's handler, plus Django's ``BadRequest`` as a 400 JSON body ``{"detail": message}``."""
    from rest_framework.exceptions import ValidationError
    from rest_framework.views import exception_handler

    if isinstance(exc, BadRequest) and not isinstance(exc, SuspiciousOperation):
        name = getattr(exc, "name", None)
        exc = ValidationError({name: [str(exc)]} if name else {"detail": str(exc)})
    return exception_handler(exc, context)
