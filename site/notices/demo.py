"""Demo notices (通知公告), written for this project."""

import datetime

from wagtail.models import Page
from wagtail.rich_text import RichText

from home.models import HomePage

from .models import NoticeCategory, NoticeIndexPage, NoticePage

NOTICES = [
    (
        "关于开展2026年度执法资格等级考试的通知",
        NoticeCategory.EXAM,
        True,
        datetime.date(2026, 11, 2),
        "2026年度执法资格等级考试（基本级、中级）将于12月在本平台进行。请各单位组织未取得基本级资格的民警按时参考，"
        "考前可在“学习练习”栏目进行模拟练习。考试时间、参考范围以考试页面公布为准。",
    ),
    (
        "11月份执法细则月考安排",
        NoticeCategory.EXAM,
        False,
        datetime.date(2026, 11, 10),
        "本月执法细则月考于11月20日至11月30日开放，限时40分钟，每人可参考一次。成绩在考试关闭后公布，"
        "各单位参考率将纳入月度执法质量考评。",
    ),
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


def load(*, stdout) -> None:
    home = HomePage.objects.first()
    index = NoticeIndexPage.objects.first()
    if index is None:
        index = NoticeIndexPage(title="通知公告", slug="notices")
        home.add_child(instance=index)
        index.save_revision().publish()
    created = 0
    for title, category, pinned, date, text in NOTICES:
        if NoticePage.objects.filter(title=title).exists():
            continue
        notice = NoticePage(
            title=title,
            category=category,
            pinned=pinned,
            date=date,
            summary=text[:60],
            body=[("paragraph", RichText(f"<p>{text}</p>"))],
        )
        Page.objects.get(pk=index.pk).specific.add_child(instance=notice)
        notice.save_revision().publish()
        created += 1
    stdout.write(f"  notices: {len(NOTICES)} ({created} new)")
