"""Content-Security-Policy: every page carries the enforced policy, and no page the site renders
for officers or staff contains an inline <script>, an on*= handler or a javascript: URL (the
policy would block them, so a page that still had one would be broken, not protected).

The scan loads the demo content, signs in as an officer and as legal staff, and crawls the
site from its main entrances, one page per URL shape (/laws/3/ and /laws/7/ are one shape), so
each page type is rendered at least once; the exam page and a practice question are reached by
starting them as an officer does."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

SEEDS = [
    "/",
    "/notices/",
    "/laws/",
    "/cases/",
    "/practice/",
    "/practice/wrong/",
    "/practice/progress/",
    "/exams/",
    "/exams/results/",
    "/legal-online/",
    "/legal-online/ask/",
    "/legal-online/mine/",
    "/search/?q=治安",
    "/accounts/me/",
    "/accounts/password/",
]
SKIP = ("/admin/", "/accounts/logout/", "/api/", "/static/", "/media/", "/documents/", "/i18n/")
MAX_PAGES = 60


class _ScriptScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            if (attrs.get("type") or "").lower() != "application/json":
                self.problems.append(f"inline <script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value:
                if value.strip().lower().startswith("javascript:"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    return re.sub(r"\d+", "N", parts.path) + "?" + query


def _crawl(client, seeds, problems, seen_shapes):
    queue = list(seeds)
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        shape = _shape(url)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        if response.status_code not in (200, 404) or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        pages += 1
        policy = response.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        if not script_src or "unsafe-inline" in script_src.group(1):
            problems.append(f"{url}: policy {policy!r}")
        scan = _ScriptScan()
        scan.feed(response.content.decode())
        problems.extend(f"{url}: {p}" for p in scan.problems)
        for href in scan.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP) or parts.path.endswith((".xlsx", ".docx", ".csv")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())


def test_no_page_has_inline_script_or_handlers(client, demo):
    from django.utils import timezone

    from questions.exams.models import Exam

    problems: list[str] = []
    shapes, staff_shapes, anonymous_shapes = set(), set(), set()
    now = timezone.now()
    open_exam = next(e for e in Exam.objects.published() if e.is_open(now))
    # One of the open exam's examinees (the demo exams are for officers, not for legal staff
    # or unit leaders).
    officer = open_exam.eligible_officers.order_by("pk").first() or (
        User.objects.officers().filter(is_active=True).order_by("pk").first()
    )
    client.force_login(officer)
    # The pages reached by POST: a practice question, and the exam page of an open exam.
    practice = client.post("/practice/start/", {"mode": "random"})
    assert practice.status_code == 302
    taking = client.post(f"/exams/{open_exam.pk}/start/")
    assert taking.status_code == 302 and "/exams/attempts/" in taking["Location"]
    officer_pages = _crawl(
        client, [practice["Location"], taking["Location"], *SEEDS], problems, shapes
    )

    staff = User.objects.get(username="900001")
    client.force_login(staff)
    staff_seeds = [f"/exams/{open_exam.pk}/print/", f"/exams/{open_exam.pk}/results/", *SEEDS]
    staff_pages = _crawl(client, staff_seeds, problems, staff_shapes)
    client.logout()
    anonymous_pages = _crawl(
        client, ["/accounts/login/", "/no-such-page/", "/"], problems, anonymous_shapes
    )

    assert problems == []
    # The crawl really covered the site: the main page types were rendered.
    assert officer_pages >= 30 and staff_pages >= 30 and anonymous_pages >= 3
    for expected in ("/exams/attempts/N/", "/practice/s/N/q/N/", "/search/", "/legal-online/ask/"):
        assert any(s.startswith(expected) for s in shapes), (expected, sorted(shapes))
    assert any(s.startswith("/exams/N/print/") for s in staff_shapes), sorted(staff_shapes)


def test_report_only_switch_sends_the_same_policy_as_report_only(client, settings, db):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_admin_relaxation_stays_under_admin(client, db):
    admin = client.get("/admin/login/")
    site = client.get("/accounts/login/")
    assert (
        "'unsafe-inline'" in re.search(r"script-src ([^;]*)", admin["Content-Security-Policy"])[1]
    )
    assert (
        "'unsafe-inline'"
        not in re.search(r"script-src ([^;]*)", site["Content-Security-Policy"])[1]
    )


# --- The header is built once per kind of response (core/csp.py) ---------------------------


def _fresh_policy(path: str, report_only: bool = False) -> str:
    """The header django-csp itself builds for ``path`` (no cache)."""
    from dataclasses import asdict

    from csp.utils import build_policy

    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.csp import SiteCSPMiddleware

    middleware = SiteCSPMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get(path)
    parts = middleware.get_policy_parts(request, HttpResponse(), report_only=report_only)
    return build_policy(**asdict(parts), report_only=report_only)


def test_reused_headers_are_what_django_csp_builds(client, settings):
    officer_policy = _fresh_policy("/laws/")
    admin_policy = _fresh_policy("/admin/login/")
    assert "'unsafe-inline'" in admin_policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in officer_policy.split("script-src")[1].split(";")[0]
    for _ in range(3):  # the first response builds, the later ones reuse
        assert client.get("/laws/")["Content-Security-Policy"] == officer_policy
        assert client.get("/admin/login/")["Content-Security-Policy"] == admin_policy
        # a JSON answer of the API carries the officers' policy as well
        assert client.get("/api/laws/")["Content-Security-Policy"] == officer_policy


def test_a_changed_setting_is_never_answered_with_the_old_header(client, settings):
    client.get("/laws/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/laws/")["Content-Security-Policy"] == "default-src 'none'"


def test_per_response_settings_still_go_through_django_csp(rf):
    from csp.decorators import csp_exempt, csp_update

    from django.http import HttpResponse

    from core.csp import SiteCSPMiddleware

    @csp_update({"img-src": ["https://maps.example"]})
    def updated(request):
        return HttpResponse()

    @csp_exempt()
    def exempt(request):
        return HttpResponse()

    views = {"plain": lambda request: HttpResponse(), "updated": updated, "exempt": exempt}
    middleware = SiteCSPMiddleware(lambda request: views[request.GET["v"]](request))
    for _ in range(2):  # the first plain response fills the cache; the others must not use it
        assert middleware(rf.get("/x/?v=plain"))["Content-Security-Policy"] == _fresh_policy("/x/")
        assert "maps.example" in middleware(rf.get("/x/?v=updated"))["Content-Security-Policy"]
        assert "Content-Security-Policy" not in middleware(rf.get("/x/?v=exempt"))


def test_a_nonce_asked_for_after_the_header_was_written_is_an_error(rf):
    from csp.exceptions import CSPNonceError

    from django.http import HttpResponse

    from core.csp import SiteCSPMiddleware

    middleware = SiteCSPMiddleware(lambda request: HttpResponse())
    for _ in range(2):  # the second goes through the reused header
        request = rf.get("/x/")
        middleware(request)
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)
