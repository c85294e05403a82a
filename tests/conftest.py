"""Fixtures shared by every test folder.

- ``shared_data``: ../shared/data (real laws, cases and exam questions); skips with a reason
  when it is absent, so the suite still runs in a clone without it.
- ``units``: a small unit tree; ``make_user``: users in a role; ``officer``, ``legal_staff``,
  ``unit_leader``, ``site_admin``: one user per role.
- ``browser_page``: a Playwright page in Debian's headless Chromium; skips when none is installed.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("FAZHI_SHARED_DATA", ROOT.parent / "shared" / "data"))
CHROMIUM = os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"shared test data not found at {SHARED_DATA} (clone ../shared beside the project)"
        )
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _fresh_worker_caches():
    """The per-worker caches (pools, layouts, rendered questions, papers, credentials) and Django's
    cache (rate-limit and throttle counters) are keyed by ids that a rolled-back test database
    hands out again; start and end every test with them empty."""
    from django.core.cache import cache

    from questions.exams import bank, services, session_auth

    def clear():
        bank.clear_cache()
        services._PAPERS.clear()
        session_auth.clear_cache()
        services.clear_rules_cache()
        cache.clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (zh-hans). A request with an English cookie
    activates English for the thread, and Django leaves it active after the response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_search_index(settings, tmp_path):
    """Every test gets its own Whoosh directory, so no test sees another's documents."""
    settings.WHOOSH_INDEX_DIR = tmp_path / "whoosh"


@pytest.fixture
def units(db):
    """市公安局 → 法制大队, 治安大队 → 巡逻中队, 城关派出所."""
    from accounts.models import Unit, UnitKind

    bureau = Unit.add_root(name="示例市公安局", code="B", kind=UnitKind.BUREAU)
    legal = bureau.add_child(name="法制大队", code="B01", kind=UnitKind.BRIGADE)
    public_order = bureau.add_child(name="治安大队", code="B02", kind=UnitKind.BRIGADE)
    patrol = Unit.objects.get(pk=public_order.pk).add_child(
        name="巡逻中队", code="B0201", kind=UnitKind.TEAM
    )
    station = Unit.objects.get(pk=bureau.pk).add_child(
        name="城关派出所", code="B03", kind=UnitKind.STATION
    )
    return {
        "bureau": Unit.objects.get(pk=bureau.pk),
        "legal": Unit.objects.get(pk=legal.pk),
        "public_order": Unit.objects.get(pk=public_order.pk),
        "patrol": Unit.objects.get(pk=patrol.pk),
        "station": Unit.objects.get(pk=station.pk),
    }


@pytest.fixture
def make_user(db, units):
    from accounts.models import User
    from accounts.roles import Role, assign_role

    counter = {"n": 0}

    def make(role=None, unit=None, password="pass-1234-word", **fields):
        counter["n"] += 1
        role = Role(role or Role.OFFICER)
        number = fields.pop("police_number", f"{100000 + counter['n']}")
        user = User.objects.create_user(
            username=fields.pop("username", number),
            password=password,
            police_number=number,
            full_name=fields.pop("full_name", f"测试{role.label}{counter['n']}"),
            unit=unit or units["station"],
            **fields,
        )
        assign_role(user, role)
        if role == Role.SITE_ADMIN:
            user.is_superuser = True
            user.is_staff = True
            user.save()
        return user

    return make


@pytest.fixture
def officer(make_user, units):
    return make_user("officer", unit=units["patrol"])


@pytest.fixture
def legal_staff(make_user, units):
    return make_user("legal_staff", unit=units["legal"])


@pytest.fixture
def unit_leader(make_user, units):
    return make_user("unit_leader", unit=units["public_order"])


@pytest.fixture
def site_admin(make_user, units):
    return make_user("site_admin", unit=units["bureau"])


@pytest.fixture
def home_page(db):
    """The home page; rebuilt when an earlier transactional test's flush emptied the tree."""
    from home.models import HomePage

    ensure_page_tree()
    return HomePage.objects.get()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture
def browser_page(monkeypatch):
    """A Playwright page in headless Chromium (Debian's package; `.ci/run` installs it)."""
    if not chromium_available():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's `chromium` package to run browser tests"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # under a running loop unless told that this test thread is not async code. Only for the
    # length of this test: monkeypatch restores the environment afterwards.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Code run while Playwright's loop is active sees its own context, so Django opened
            # a separate connection for it; close it here, or PostgreSQL cannot drop the test
            # database at the end of the session.
            from django.db import connections

            connections.close_all()


def login_in_browser(page, live_server_url: str, username: str, password: str = "pass-1234-word"):
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")


def wait_for_js(page, expression: str, timeout_ms: int = 15_000) -> None:
    """Wait until a JavaScript expression is truthy in the page.

    Playwright's ``page.wait_for_function`` runs its predicate through ``eval()`` inside the
    page, which the site's Content-Security-Policy forbids (no 'unsafe-eval'), so it fails on
    every page of this site. ``page.evaluate`` goes through the DevTools protocol instead, outside
    the page's policy; this polls with it. A wait, not a timing assertion: the timeout only
    bounds how long a broken page can hold the test."""
    from playwright.sync_api import Error as PlaywrightError

    def truthy() -> bool:
        try:
            return bool(page.evaluate(expression))
        except PlaywrightError as exc:  # the page navigated while we asked: ask the new one
            if "context was destroyed" in str(exc) or "navigat" in str(exc):
                return False
            raise

    waited = 0
    while not truthy():
        if waited >= timeout_ms:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(50)
        waited += 50


def ensure_page_tree():
    """Transactional tests run after a flush, which empties the page tree the migrations made."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="法制在线", slug="home-browser"))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
