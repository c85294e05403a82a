"""The main menu: an entry for each section that has a page, the current one marked."""

import pytest

from django.test import RequestFactory

from core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _menu(path="/"):
    return [
        (str(item["label"]), item["url"], item["active"])
        for item in navigation(RequestFactory().get(path))
    ]


def test_compilations_are_in_the_main_menu_once_their_section_exists(home_page):
    from laws.compilations.services import compilation_index

    assert "法规汇编" not in [label for label, _url, _active in _menu()]
    index = compilation_index()
    entry = [row for row in _menu(index.url + "some-compilation/") if row[0] == "法规汇编"]
    assert entry == [("法规汇编", index.url, True)]
    # not marked on another section's page
    assert ("法规汇编", index.url, False) in _menu("/exams/")


def test_the_menu_in_english(client, home_page):
    from laws.compilations.services import compilation_index

    compilation_index()
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert 'href="/compilations/">Compilations</a>' in page.replace(' aria-current="page"', "")
