import io

import pytest


@pytest.fixture
def library(db, home_page):
    """The demo regulations (laws.demo) and the demo compilations built from them."""
    from laws import demo as law_demo
    from laws.compilations import demo as compilation_demo
    from laws.models import LawPage

    law_demo.load(stdout=io.StringIO())
    compilation_demo.load(stdout=io.StringIO())
    return {
        "rules": LawPage.objects.get(title=law_demo.FIELD_RULES_TITLE),
        "order": LawPage.objects.get(title=law_demo.PUBLIC_ORDER_TITLE),
    }


@pytest.fixture
def field_work(library):
    from laws.compilations.models import CompilationPage

    return CompilationPage.objects.get(slug="field-work-articles")


@pytest.fixture
def exam_review(library):
    from laws.compilations.models import CompilationPage

    return CompilationPage.objects.get(slug="field-work-rules-exam")
