"""What the English page test needs: the pages of every type, and the Han characters left in a
rendered page outside user content.

User content (what staff and officers wrote: laws, cases, questions, answers, names, notices)
stays in the language it was written in. Templates mark it with a ``data-user-content``
attribute on the element that holds it; elements with ``lang="zh…"`` are Chinese on purpose
(the language switch names Chinese in Chinese).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


def leftover_han(html: str) -> list[str]:
    """Texts with Han characters (or full-width punctuation) outside user content."""
    soup = BeautifulSoup(html, "lxml")
    # <head> holds the <title>, which repeats the page's heading (checked in the body).
    for element in soup(["head", "script", "style", "template", "noscript"]):
        element.decompose()
    for element in soup.select("[data-user-content]"):
        element.decompose()
    for element in soup.select("[lang]"):
        if element.name != "html" and element["lang"].lower().startswith("zh"):
            element.decompose()
    found = []
    for text in soup.stripped_strings:
        if "e.g." in text:
            continue  # help text giving an example of Chinese input (a citation), Chinese on purpose
        if HAN.search(text):
            found.append(text)
    for element in soup.find_all(True):
        for attribute in VISIBLE_ATTRIBUTES:
            value = element.get(attribute)
            if attribute == "placeholder" and value and value.startswith("e.g."):
                continue  # an example of Chinese input (a citation, a search), Chinese on purpose
            if value and HAN.search(value):
                found.append(f"[{attribute}] {value}")
        if element.name in ("input", "button") and element.get("type") in ("submit", "button"):
            value = element.get("value")
            if value and HAN.search(value):
                found.append(f"[value] {value}")
    return found


def page_urls() -> list[tuple[str, str]]:
    """(who, url) for one page of every type, from the demo content."""
    from django.db.models import Count

    from casebook.models import CaseIndexPage, CasePage
    from laws.compilations.models import CompilationIndexPage, CompilationPage
    from laws.models import LawIndexPage, LawPage
    from legal_online.models import Consultation
    from notices.models import NoticeIndexPage, NoticePage
    from questions.exams.models import Exam

    laws = LawPage.objects.live().annotate(n=Count("versions")).filter(n__gt=0).order_by("pk")
    law = laws.first()
    amended = laws.filter(n__gt=1).first()
    versions = list(amended.versions.order_by("version_date").values_list("pk", flat=True))
    article = law.current_version.articles.order_by("order").first()
    published = Consultation.objects.published().order_by("pk").first()
    exam = Exam.objects.order_by("pk").first()
    urls = [
        ("anonymous", "/"),
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/no-such-page/"),
        ("officer", "/"),
        ("officer", LawIndexPage.objects.live().first().url),
        ("officer", law.url),
        ("officer", f"{amended.url}compare/?a={versions[0]}&b={versions[-1]}"),
        ("officer", f"{amended.url}compare/?a={versions[0]}&b={versions[-1]}&mode=inline"),
        ("officer", CaseIndexPage.objects.live().first().url),
        ("officer", CasePage.objects.live().order_by("pk").first().url),
        ("officer", CompilationIndexPage.objects.live().first().url),
        ("officer", CompilationPage.objects.live().order_by("pk").first().url),
        ("officer", CompilationPage.objects.live().order_by("pk").first().url + "print/"),
        ("officer", NoticeIndexPage.objects.live().first().url),
        ("officer", NoticePage.objects.live().order_by("pk").first().url),
        ("officer", "/practice/"),
        ("officer", "/practice/wrong/"),
        ("officer", "/practice/progress/"),
        ("officer", "/exams/"),
        ("officer", f"/exams/{exam.pk}/"),
        ("officer", "/legal-online/"),
        ("officer", "/legal-online/ask/"),
        ("officer", "/legal-online/mine/"),
        ("officer", "/search/?q=盘问"),
        ("officer", "/accounts/me/"),
        ("officer", "/accounts/password/"),
        ("legal_staff", "/legal-online/queue/"),
        ("legal_staff", "/laws/impact/"),
        ("legal_staff", "/exams/results/"),
        ("legal_staff", f"/exams/{exam.pk}/results/"),
        ("legal_staff", f"/exams/{exam.pk}/analysis/"),
        ("legal_staff", "/accounts/units/"),
        ("legal_staff", "/accounts/roster/import/"),
        ("unit_leader", "/accounts/units/"),
    ]
    from questions.models import PracticeSession

    practised = PracticeSession.objects.filter(answered__gt=0).select_related("user").first()
    if practised is not None:
        urls.append((practised.user.username, f"/practice/s/{practised.pk}/"))
    urls += [
        ("officer", article.get_absolute_url()),
        ("officer", f"/legal-online/q/{published.pk}/"),
    ]
    return urls
