"""Two application servers behind nginx on one PostgreSQL and one Redis (issue 16 §4).

Starts two gunicorn servers (``gunicorn.conf.py``, one sync worker each) and nginx with
``deploy/nginx-fazhi.conf`` on 127.0.0.1, then:

- runs an exam through nginx, whose round robin alternates the requests between the servers
  (both access logs are checked), restarts one server mid-exam, and checks one result per
  officer and no lost answer (every acknowledged save is in the database);
- shows that state is shared, not per server: a login lock reached on one server holds on
  the other, so does Legal Online's rate limit; a document indexed once (search on the
  PostgreSQL backend) is found through both; an exam edited while both servers hold its rules
  in their caches is seen by both at once.

Runs on CI's PostgreSQL run; skips (with the reason) without PostgreSQL, nginx or Redis.
Redis: ``FAZHI_TEST_REDIS_URL`` (default database 5 of 127.0.0.1:6379), flushed before and
after. Ports 18030-18032.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django.db import connection

from questions.exams.models import Attempt, AttemptAnswer, ScoreChange

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("FAZHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT_A, PORT_B, PORT_NGINX = 18030, 18031, 18032


def _redis():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return None


@pytest.fixture
def stack(settings, tmp_path):
    from servers import Gunicorn, Nginx, nginx_available, port_free

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
    if not nginx_available():
        pytest.skip("needs nginx (apt-get install nginx)")
    client = _redis()
    if client is None:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    for _wait in range(60):  # the previous test's servers may still be exiting
        if all(port_free(p) for p in (PORT_A, PORT_B, PORT_NGINX)):
            break
        time.sleep(0.5)
    else:
        pytest.skip("ports 18030-18032 are in use")
    settings.FAZHI_SEARCH_BACKEND = "postgres"
    client.flushdb()
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # sessions made here are valid there
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        REDIS_URL=REDIS_URL,
        FAZHI_SEARCH_BACKEND="postgres",
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Production serves hashed static files (WhiteNoise's manifest): collect them, as a deploy does.
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    logs = {PORT_A: tmp_path / "a.log", PORT_B: tmp_path / "b.log"}
    servers = {}

    def start(port):
        servers[port] = Gunicorn(port, 1, dict(env, GUNICORN_ACCESS_LOG=str(logs[port])))

    start(PORT_A)
    start(PORT_B)
    proxy = Nginx(PORT_NGINX, [PORT_A, PORT_B])
    try:
        yield {"start": start, "servers": servers, "logs": logs}
    finally:
        proxy.stop()
        for server in servers.values():
            server.stop()
        client.flushdb()


def _session(officer):
    """A logged-in session for ``officer`` (what the login form leaves behind)."""
    import requests

    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(officer.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": officer.get_session_auth_hash(),
        }
    )
    store.create()
    http = requests.Session()
    http.cookies.set("sessionid", store.session_key)
    http.cookies.set("csrftoken", "twoservers" + "x" * 22)
    http.headers.update({"X-CSRFToken": "twoservers" + "x" * 22, "Accept": "application/json"})
    return http


def _url(port, path):
    return f"http://127.0.0.1:{port}{path}"


def _call(http, method, path, port=PORT_NGINX, **kwargs):
    """As the exam page does: retried on 503 (and a refused connection) until it lands."""
    for _try in range(30):
        try:
            r = http.request(method, _url(port, path), timeout=30, **kwargs)
        except OSError:
            time.sleep(0.5)
            continue
        if r.status_code not in (502, 503, 504):
            return r
        time.sleep(0.5)
    raise AssertionError(f"{method} {path} never landed")


def test_an_exam_across_two_servers_with_a_restart(stack, make_exam, make_user, units):
    exam = make_exam(sections=[("single", 4, "5", "单选"), ("true_false", 2, "5", "判断")])
    officers = [make_user("officer", unit=units["station"]) for _ in range(8)]
    clients = {o.pk: _session(o) for o in officers}
    attempts = {}
    for o in officers:
        r = _call(clients[o.pk], "POST", f"/api/exams/{exam.pk}/start/", json={})
        assert r.status_code == 200, r.text
        attempts[o.pk] = r.json()["attempt"]
    papers = {}
    for o in officers:
        r = _call(clients[o.pk], "GET", f"/api/exams/attempts/{attempts[o.pk]}/")
        assert r.status_code == 200
        papers[o.pk] = r.json()["questions"]
    acked = {}
    seq = 0

    def save_round():
        nonlocal seq
        for o in officers:
            for q in papers[o.pk]:
                seq += 1
                response = (
                    q["options"][seq % len(q["options"])]["key"] if q["options"] else "TF"[seq % 2]
                )
                r = _call(
                    clients[o.pk],
                    "POST",
                    f"/api/exams/attempts/{attempts[o.pk]}/answers/",
                    json={"item": q["item"], "response": response, "seq": seq},
                )
                assert r.status_code == 200, r.text
                acked[(attempts[o.pk], q["item"])] = (seq, response)

    save_round()
    # Restart server B mid-exam (a deploy: graceful stop, start again); saves go on meanwhile.
    stack["servers"][PORT_B].stop()
    save_round()
    stack["start"](PORT_B)
    save_round()
    # Each officer submits twice, once through each server: one result.
    for o in officers:
        for port in (PORT_A, PORT_B):
            r = _call(
                clients[o.pk],
                "POST",
                f"/api/exams/attempts/{attempts[o.pk]}/submit/",
                port,
                json={},
            )
            assert r.status_code == 200, r.text
    for o in officers:
        mine = Attempt.objects.filter(exam=exam, officer=o)
        assert mine.count() == 1 and mine.get().status == "submitted"
        assert ScoreChange.objects.filter(attempt=mine.get()).count() == 1
    item_of = {
        (a.pk, i.question_id): i.item for a in Attempt.objects.filter(exam=exam) for i in a.items()
    }
    stored = {
        (a, item_of[(a, q)]): (s, r)
        for a, q, s, r in AttemptAnswer.objects.filter(attempt__exam=exam).values_list(
            "attempt_id", "question_id", "seq", "response"
        )
    }
    assert stored == acked  # no acknowledged answer lost, nothing unexpected stored
    # nginx alternated between the servers: both served saves.
    for port, log in stack["logs"].items():
        assert "/answers/" in log.read_text(), f"server {port} served no save"


def _login(http, port, username, password):
    page = http.get(_url(port, "/accounts/login/"), timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return http.post(
        _url(port, "/accounts/login/"),
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )


def test_shared_state_is_the_same_through_both_servers(
    stack, make_user, units, make_exam, settings
):
    import requests

    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # Login throttling: failures counted on server A lock the account on server B too.
    user = make_user("officer", unit=units["station"])
    user.password = PBKDF2PasswordHasher().encode("right-pass-9876", "twoserverssalt")
    user.must_change_password = False
    user.save()
    r = _login(requests.Session(), PORT_B, user.username, "right-pass-9876")
    assert r.status_code == 302, "the right password signs in before any failure"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _login(requests.Session(), PORT_A, user.username, "wrong").status_code != 302
    locked = requests.Session()
    r = _login(locked, PORT_B, user.username, "right-pass-9876")
    assert r.status_code != 302 and "sessionid" not in locked.cookies

    # Legal Online's rate limit (5 an hour by default): 5 through A, the 6th through B refused.
    from legal_online.models import Category, Consultation

    asker = make_user("officer", unit=units["station"])
    http = _session(asker)
    http.headers.pop("Accept")
    # The migrations seed the categories, but an earlier transactional test's flush removes them.
    category, _created = Category.objects.get_or_create(slug="zhian", defaults={"name": "治安管理"})
    data = {
        "title": "醉酒人员能否约束至酒醒",
        "category": category.pk,
        "description": "巡逻时发现醉酒人员。",
    }
    for _ in range(5):
        r = http.post(
            _url(PORT_A, "/legal-online/ask/"), data=data, allow_redirects=False, timeout=30
        )
        assert r.status_code == 302, r.text[:300]
    r = http.post(_url(PORT_B, "/legal-online/ask/"), data=data, allow_redirects=False, timeout=30)
    assert r.status_code == 200 and "每小时最多提交 5 次" in r.text
    assert Consultation.objects.filter(asker=asker).count() == 5

    # Search on the PostgreSQL backend: indexed once, found through both servers.
    from search.api import index_documents
    from search.documents import SearchDocument

    index_documents(
        [
            SearchDocument(
                key="notice:990001",
                kind="notice",
                title="双服务器检索验证通知",
                body="检索验证正文",
                url="/n/990001/",
            )
        ]
    )
    reader = _session(asker)
    found = [
        reader.get(_url(port, "/api/search/"), params={"q": "双服务器检索验证"}, timeout=30)
        for port in (PORT_A, PORT_B)
    ]
    assert all(r.status_code == 200 and "双服务器检索验证通知" in r.text for r in found)

    # Exam caches: both servers cache the exam's rules; an edit (as the admin saves it) that
    # takes the officer out of the eligible units is seen by both at once.
    exam = make_exam()
    officer = make_user("officer", unit=units["station"])
    http = _session(officer)
    other = make_user("officer", unit=units["station"])
    other_http = _session(other)
    for port in (PORT_A, PORT_B):  # both workers load and cache the rules
        assert (
            other_http.post(
                _url(port, f"/api/exams/{exam.pk}/start/"), json={}, timeout=30
            ).status_code
            == 200
        )
    exam.eligible_officers.add(other)
    exam.save()  # the admin saves the exam with its eligibility: updated_at moves
    for port in (PORT_A, PORT_B):
        r = http.post(_url(port, f"/api/exams/{exam.pk}/start/"), json={}, timeout=30)
        assert r.status_code == 403 and r.json()["error"] == "not_eligible", (port, r.text)
