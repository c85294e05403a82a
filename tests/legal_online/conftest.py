"""Fixtures for Legal Online: categories, staff with the right permissions, a small law."""

from datetime import date

import pytest

LAW_V1 = """# 示例市道路巡查管理规定

2024年3月1日 示例市人民政府通过

第一条 为了规范道路巡查工作，制定本规定。
第二条 巡查民警发现违法行为的，应当当场制止，并依法处理。
第三条 对醉酒的人，应当约束至酒醒。
"""

LAW_V2 = """# 示例市道路巡查管理规定

2025年6月1日 示例市人民政府修订

第一条 为了规范道路巡查工作，保障道路安全，制定本规定。
第二条 巡查民警发现违法行为的，应当当场制止，并依法处理。
第三条 对醉酒的人，应当约束至酒醒，并通知其家属。
"""


def import_law(text, version_date):
    from laws.parsing import parse_markdown
    from laws.services import LawSource, law_import

    parsed = parse_markdown(text)
    return law_import(
        source=LawSource(
            parsed=parsed, source_file="test.md", level="地方性法规", version_date=version_date
        )
    )


@pytest.fixture
def law(db, home_page):
    """示例市道路巡查管理规定, one version with three articles."""
    return import_law(LAW_V1, date(2024, 3, 1)).law


@pytest.fixture
def articles(law):
    from laws.models import Article

    return {a.number: a for a in Article.objects.filter(law=law, version=law.current_version)}


@pytest.fixture
def category(db):
    from legal_online.models import Category

    return Category.objects.get(slug="zhian")


@pytest.fixture
def answerer(make_user, units):
    return make_user("legal_staff", unit=units["legal"], full_name="答复员甲")


@pytest.fixture
def reviewer(make_user, units):
    return make_user("legal_staff", unit=units["legal"], full_name="审核员乙")


@pytest.fixture
def other_officer(make_user, units):
    return make_user("officer", unit=units["station"], full_name="其他民警")


@pytest.fixture
def head(make_user, units):
    """The head of the legal department: legal staff with receive_escalations."""
    from django.contrib.auth.models import Permission

    user = make_user("legal_staff", unit=units["legal"], full_name="法制大队长")
    user.user_permissions.add(Permission.objects.get(codename="receive_escalations"))
    return user


@pytest.fixture
def submit(officer, category):
    """submit(asker=officer, title=..., **kw) through the service."""
    from legal_online import services

    counter = {"n": 0}

    def make(asker=None, **kw):
        counter["n"] += 1
        kw.setdefault("title", f"盘查中遇到的问题{counter['n']}")
        kw.setdefault("description", "巡逻时发现一名醉酒人员在路中间躺卧，能否约束？")
        kw.setdefault("category", category)
        return services.consultation_submit(asker=asker or officer, **kw)

    return make


@pytest.fixture(autouse=True)
def _no_rate_limit_leaks():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def search_index(settings):
    """An empty index created up front (the outbox drain expects one to exist)."""
    from search.backends import get_engine

    get_engine().count()
    return get_engine()
