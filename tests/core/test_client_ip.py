"""core.client_ip: the client address through N trusted proxies (pure function)."""

import pytest

from core.client_ip import client_address


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, 0, "203.0.113.9"),
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 0, "203.0.113.9"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, 1, "198.51.100.7"),
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6,198.51.100.7"},
            1,
            "198.51.100.7",
        ),
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.0.0.1"},
            2,
            "198.51.100.7",
        ),
        # Fewer entries than proxies: the left-most (nearest the client) is used.
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, 3, "198.51.100.7"),
        # No header although a proxy is configured (a health check on the app port).
        ({"REMOTE_ADDR": "10.0.0.2"}, 1, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": " , "}, 1, "10.0.0.2"),
        # Not an address where the proxy's entry should be: fall back to the connection.
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, evil"}, 1, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, 1, "2001:db8::1"),
        ({}, 0, ""),
    ],
)
def test_client_address(meta, proxies, expected):
    assert client_address(meta, proxies) == expected
