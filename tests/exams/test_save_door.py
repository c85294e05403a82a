"""nginx's door in front of the answer saves (``deploy/nginx-fazhi.conf``, ``limit_conn``):
past the limit a save is refused at once with 503, ``Retry-After`` and the JSON the exam page
understands, while other requests (the submit, pages) are not counted against it.

Runs Debian's nginx with the shipped site file (only addresses and the limit rewritten, as
the benchmarks do) in front of a stand-in upstream that holds every request for a moment, so
the test is about nginx's configuration, not the application's speed."""

from __future__ import annotations

import http.server
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from servers import Nginx, nginx_available  # noqa: E402


class SlowUpstream(http.server.ThreadingHTTPServer):
    daemon_threads = True


class Handler(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []  # paths that reached the upstream
    lanes: dict[str, str] = {}  # path → the address it reached: "main" or "priority"

    def do_POST(self):  # noqa: N802 - the stdlib's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.path)
        self.lanes[self.path] = self.server.lane
        time.sleep(3.0)  # long enough for every request of a test to arrive meanwhile
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def door():
    if not nginx_available():
        pytest.skip("needs Debian's nginx (apt-get install nginx; .ci/run installs it)")
    Handler.seen = []
    Handler.lanes = {}
    # The application server's two addresses (gunicorn.conf.py): everything, and the priority lane.
    upstreams = {}
    for lane in ("main", "priority"):
        upstreams[lane] = SlowUpstream(("127.0.0.1", free_port()), Handler)
        upstreams[lane].lane = lane
        threading.Thread(target=upstreams[lane].serve_forever, daemon=True).start()
    nginx = Nginx(
        free_port(),
        [upstreams["main"].server_address[1]],
        save_limit=2,
        priority_ports=[upstreams["priority"].server_address[1]],
    )
    try:
        yield f"http://127.0.0.1:{nginx.port}"
    finally:
        nginx.stop()
        for upstream in upstreams.values():
            upstream.shutdown()


def post(url):
    request = urllib.request.Request(
        url, data=b"{}", method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_saves_past_the_limit_are_refused_at_once_with_retry_after(door):
    urls = [f"{door}/api/exams/attempts/{n}/answers/" for n in range(1, 4)]
    urls += [f"{door}/api/exams/attempts/{n}/answers/batch/" for n in range(4, 7)]
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(post, urls))
    served = [r for r in results if r[0] == 200]
    refused = [r for r in results if r[0] == 503]
    assert len(served) == 2 and len(refused) == 4, [r[0] for r in results]
    for _status, headers, body in refused:
        assert headers["Retry-After"].isdigit()
        assert json.loads(body)["error"] == "busy"
    # Refused by nginx itself: the application never saw them (nor queued them).
    assert len(Handler.seen) == 2


def test_the_submit_and_other_requests_do_not_count_against_the_door(door):
    urls = [f"{door}/api/exams/attempts/{n}/answers/" for n in range(1, 3)]
    urls += [f"{door}/api/exams/attempts/{n}/submit/" for n in range(1, 4)]
    urls += [f"{door}/api/exams/7/start/"]
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(post, urls))
    assert [r[0] for r in results] == [200] * len(urls)


def test_submits_take_the_priority_lane_and_nothing_else_does(door):
    paths = [
        "/api/exams/attempts/1/submit/",
        "/api/exams/attempts/2/answers/",
        "/api/exams/attempts/3/answers/batch/",
        "/api/exams/attempts/4/leave/",
        "/api/exams/7/start/",
        "/api/exams/attempts/5/submit/extra/",  # not the submit route
        "/exams/attempts/6/submit/",  # a page, not the API
    ]
    with ThreadPoolExecutor(len(paths)) as pool:
        statuses = list(pool.map(lambda p: post(door + p)[0], paths))
    assert statuses == [200] * len(paths)
    assert Handler.lanes == {
        "/api/exams/attempts/1/submit/": "priority",
        **dict.fromkeys(paths[1:], "main"),
    }
