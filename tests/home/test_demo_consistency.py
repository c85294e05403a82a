"""The demo agrees with itself: answers quote the articles they cite, and notices about exams
announce the window and time limit of the exam they link to."""

import io
import re

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from config.env import cache_key_prefix

QUOTE = re.compile(r"“([^”]+)”")
ARTICLE_LABEL = re.compile(r"第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?")


class DemoConsistencyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # A zero hourly limit refuses every rate-limited submission: the demo must not go
        # through the officers' rate limits at all.
        with override_settings(LEGAL_ONLINE_RATE_LIMITS={"hour": 0}):
            call_command("load_demo_data", "--skip-index", stdout=io.StringIO())

    def test_every_quote_in_a_demo_answer_is_in_a_cited_article(self):
        from legal_online.models import Answer

        quotes = 0
        for answer in Answer.objects.prefetch_related("citations__article"):
            articles = [c.article for c in answer.citations.all()]
            texts = [a.text for a in articles]
            labels = {a.label for a in articles}
            for body in filter(None, (answer.body, answer.public_body)):
                for quote in QUOTE.findall(body):
                    quotes += 1
                    assert any(quote in text for text in texts), (
                        f"{answer.consultation.title}: “{quote}” is in none of the cited "
                        f"articles {sorted(labels)}"
                    )
                # Articles named outside 《…》 references to other laws are among the citations.
                own = re.sub(r"《[^》]*》第[^，。；、（）]*?条", "", body)
                for label in ARTICLE_LABEL.findall(own):
                    assert label in labels, f"{answer.consultation.title}: {label} is not cited"
        assert quotes >= 8

    def test_every_exam_notice_matches_the_exam_it_links_to(self):
        from notices.models import NoticePage
        from questions.exams.models import Exam

        checked = 0
        for notice in NoticePage.objects.live():
            html = "".join(str(block["value"]) for block in notice.body.raw_data)
            about_exam = re.search(r"限时\d+分钟|月考|考试", notice.title + html)
            ids = re.findall(r'href="/exams/(\d+)/"', html)
            if not about_exam:
                continue
            assert ids, f"notice {notice.title} talks about an exam but links none"
            exams = list(Exam.objects.filter(pk__in=ids))
            assert len(exams) == len(set(ids))
            assert {int(n) for n in re.findall(r"限时(\d+)分钟", html)} == {
                e.time_limit_minutes for e in exams
            }, notice.title
            announced = set(re.findall(r"(\d+)月(\d+)日 (\d\d:\d\d)", html))
            expected = set()
            for exam in exams:
                for moment in (exam.opens_at, exam.closes_at):
                    local = timezone.localtime(moment)
                    expected.add((str(local.month), str(local.day), f"{local:%H:%M}"))
            assert announced == expected, notice.title
            checked += 1
        assert checked >= 2

    def test_only_examinees_are_listed_as_absent(self):
        """A unit leader is not the 未参考人员 of their unit when the exam is for officers."""
        from accounts.models import Unit
        from accounts.roles import is_legal_staff, is_unit_leader
        from questions.exams.models import Exam
        from questions.exams.selectors import unit_summary

        leader_units = Unit.objects.filter(members__groups__name="单位领导").distinct()
        assert leader_units
        for exam in Exam.objects.all():
            for unit in leader_units:
                row = unit_summary(exam, unit, with_absent=True)
                assert not [
                    u.username for u in row.absent if is_unit_leader(u) or is_legal_staff(u)
                ], exam.title

    def test_loading_again_changes_nothing(self):
        from legal_online.models import Consultation
        from notices.models import NoticePage

        before = (Consultation.objects.count(), NoticePage.objects.count())
        with override_settings(LEGAL_ONLINE_RATE_LIMITS={"hour": 0}):
            call_command("load_demo_data", "--skip-index", stdout=io.StringIO())
        assert (Consultation.objects.count(), NoticePage.objects.count()) == before


def test_cache_prefix_names_the_database():
    pg = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432}
    one = cache_key_prefix({**pg, "NAME": "fazhi_a"})
    assert one == cache_key_prefix({**pg, "NAME": "fazhi_a"})
    assert one != cache_key_prefix({**pg, "NAME": "fazhi_b"})
    assert one != cache_key_prefix({**pg, "NAME": "fazhi_a", "HOST": "db2"})
    assert one.startswith("fazhi:")  # benchmarks clean up fazhi:* keys
