"""Demo notices (通知公告), written for this project."""

import datetime

from wagtail.models import Page
from wagtail.rich_text import RichText

from home.models import HomePage

from .models import NoticeCategory, NoticeIndexPage, NoticePage

# Notices about exams are not here: questions/exams/demo.py writes them from the exams
# themselves (exam_notice), so their dates and time limits cannot disagree with the exams.
NOTICES = [
    (
        "法规库新增示例规章的说明",
        NoticeCategory.LAW_UPDATE,
        False,
        datetime.date(2026, 10, 28),
        "法规库已收录本平台编写的示例规章，供熟悉系统功能使用，标注为“示例”，不作为执法依据。"
        "正式法律法规由法制大队导入后发布。",
    ),
    (
        "法律在线栏目使用须知",
        NoticeCategory.NOTICE,
        False,
        datetime.date(2026, 10, 15),
        "民警在执法办案中遇到疑难法律问题，可通过“法律在线”提问。提问前请先搜索已公开的解答；"
        "涉及案件细节的内容请勾选“案情保密”。法制大队将在规定期限内答复。",
    ),
    (
        "关于规范受案登记工作的提示",
        NoticeCategory.ANNOUNCEMENT,
        False,
        datetime.date(2026, 9, 30),
        "近期执法检查发现个别单位存在受案不及时、登记信息不完整等问题。请各单位对照执法细则自查，"
        "做到接报即受案、受案即登记。",
    ),
]


def _index() -> NoticeIndexPage:
    index = NoticeIndexPage.objects.first()
    if index is None:
        index = NoticeIndexPage(title="通知公告", slug="notices")
        HomePage.objects.first().add_child(instance=index)
        index.save_revision().publish()
    return index


def publish_notice(*, title, category, pinned, date, html, summary) -> bool:
    """Publish a demo notice, or bring an existing one (found by title) up to date.
    Returns True when it was created."""
    notice = NoticePage.objects.filter(title=title).first()
    body = [("paragraph", RichText(html))]
    if notice is None:
        notice = NoticePage(
            title=title, category=category, pinned=pinned, date=date, summary=summary, body=body
        )
        Page.objects.get(pk=_index().pk).specific.add_child(instance=notice)
        notice.save_revision().publish()
        return True
    if notice.summary != summary or [block["value"] for block in notice.body.raw_data] != [html]:
        notice.summary, notice.body, notice.date = summary, body, date
        notice.save_revision().publish()
    return False


def load(*, stdout) -> None:
    _index()
    created = 0
    for title, category, pinned, date, text in NOTICES:
        created += publish_notice(
            title=title,
            category=category,
            pinned=pinned,
            date=date,
            html=f"<p>{text}</p>",
            summary=text[:60],
        )
    stdout.write(f"  notices: {len(NOTICES)} ({created} new)")
