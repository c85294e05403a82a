"""Numbers from URLs, query strings and request bodies: one way to read them everywhere.

A hostile value (``abc``, ``-1``, ``²``, 2**80, 10**30, a 5,000-digit string) must give a 4xx
with a message, never a 500 from ``int()``, from the database (integer overflow) or from date
arithmetic. So:

- ids in URL paths use the ``<id:…>`` converter (registered in ``CoreConfig.ready``): ASCII digits
  up to ``MAX_ID`` (the largest BigAutoField value); anything else does not match, i.e. 404;
- numbers in query strings and forms go through ``int_param`` (raises ``InvalidParameter``, a
  ``BadRequest``: the site answers 400 with the message, the JSON API a 400 JSON body);
- numbers inside JSON bodies go through ``parse_int`` (None when unusable), and the caller
  answers 400 in its own format.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.urls import register_converter
from django.utils.translation import gettext as _

__all__ = ["MAX_ID", "MAX_INT32", "IdConverter", "InvalidParameter", "parse_int", "int_param"]

MAX_ID = 2**63 - 1  # BigAutoField / BigIntegerField
MAX_INT32 = 2**31 - 1  # IntegerField on PostgreSQL
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")  # ASCII digits only: "²" or "١" are not numbers here


class InvalidParameter(BadRequest):
    """A request parameter is not a usable number; ``str(exc)`` is the message for the user."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def parse_int(value, *, min_value: int = 0, max_value: int = MAX_ID) -> int | None:
    """``value`` (an int or a decimal string) as an int within the bounds, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if min_value <= number <= max_value else None


def int_param(
    params,
    name: str,
    *,
    default: int | None = None,
    min_value: int = 0,
    max_value: int = MAX_ID,
) -> int | None:
    """The integer parameter ``name`` of a QueryDict (GET/POST); ``default`` when absent or empty.

    Raises ``InvalidParameter`` (400) when present but not an integer within the bounds."""
    raw = params.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    number = parse_int(raw, min_value=min_value, max_value=max_value)
    if number is None:
        raise InvalidParameter(
            name,
            _("参数“%(name)s”应为 %(min)s 到 %(max)s 之间的整数。")
            % {"name": name, "min": min_value, "max": max_value},
        )
    return number


class IdConverter:
    """``<id:pk>``: a database id in a URL path. Too large a number does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django then tries the next pattern, i.e. 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


# Registered on import, once: URL modules and routable pages (compiled when their models are
# imported, before any AppConfig.ready) import this module first.
register_converter(IdConverter, "id")
