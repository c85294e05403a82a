"""The client's address, as seen through a known number of trusted reverse proxies.

Pure logic (no Django): ``settings.FAZHI_TRUSTED_PROXIES`` is passed in by the callers.

Each proxy in front of the site appends the address it received the request from to
``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``).
With N trusted proxies, the last N entries were written by them and the N-th from the right is
the client as the outermost proxy saw it. Anything further left came from the client and may be
invented, so it is never used. With N = 0 (no proxy) the header is ignored and ``REMOTE_ADDR``
is the client.
"""

from collections.abc import Mapping
from ipaddress import ip_address


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ip_address(value))
    except ValueError:
        return None


def client_address(meta: Mapping[str, str], trusted_proxies: int) -> str:
    """The client address from a request's META, trusting ``trusted_proxies`` proxies."""
    remote = meta.get("REMOTE_ADDR", "") or ""
    if trusted_proxies <= 0:
        return remote
    forwarded = [
        part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()
    ]
    if not forwarded:
        # Reached the site without passing a proxy (a health check on the app port): the
        # connecting address is all there is.
        return remote
    # Fewer entries than proxies: every entry was written by a trusted proxy, the left-most
    # is the nearest to the client.
    index = max(len(forwarded) - trusted_proxies, 0)
    return _valid(forwarded[index]) or remote
