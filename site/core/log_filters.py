"""Logging filters.

Django logs every refused request on ``django.request`` (403 with the PermissionDenied
traceback attached) and every SuspiciousOperation on ``django.security.*`` with a traceback.
Those are expected answers, not faults: a line saying what was refused is enough, and full
tracebacks in the log should mean a bug. 5xx records keep their traceback.
"""

import logging


class ExpectedRefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        expected = (status is not None and status < 500) or record.name.startswith(
            "django.security."
        )
        if expected and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
