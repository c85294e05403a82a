"""Demo content for Legal Online: questions in every state, answered with citations of the
demo regulations (laws/demo.py). Written for this project; idempotent (a question whose
title already exists is left alone).

Everything goes through the services with explicit past times, so the figures page has
several months to show and the workflow history is real.
"""

from __future__ import annotations

# ruff: noqa: C408 - keyword records read better than literals here
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from laws.demo import FIELD_RULES_TITLE, PUBLIC_ORDER_TITLE

from . import services
from .models import Category, Consultation

TZ = ZoneInfo("Asia/Shanghai")
ANSWERER, HEAD = "900001", "900002"  # 周法宁 (法制员), 吴审之 (法制大队大队长)


def _cite(title: str, label: str, on: date | None = None):
    from laws.references import resolve_reference

    article = resolve_reference(f"《{title}》{label}", on=on)
    if article is None:
        raise RuntimeError(
            f"legal_online demo: cannot resolve 《{title}》{label}; load laws.demo first"
        )
    return article


# (asker number, category slug, title, description, days ago, target state, answer, citations, public version)
QUESTIONS = [
    dict(
        asker="100001",
        category="zhian",
        days_ago=920,
        state="published",
        title="网吧拒不提供监控录像，能否以删改图像处罚？",
        description="辖区一网吧发生斗殴，民警调取监控时，网吧称录像已被系统覆盖，只保存了七天。"
        "这种情况能否按删改视频监控图像信息处罚？还是按未保证设备正常运行处理？",
        answer="一、系统自动覆盖不等于“删改”。删改是有意删除、修改已保存的图像，须有证据证明经营者的主观行为。\n"
        "二、保存期限不足的，属于未依规定保存图像信息。《示例市公共场所治安管理规定（示例）》第六条规定，"
        "“视频监控图像信息应当保存不少于十五日”；网吧只保存七天，违反该条规定。\n"
        "三、建议先固定设备设置截图和经营者陈述，再依法作出处理；如有证据证明系故意删除，可以依照第十四条"
        "（“删改视频监控图像信息的，由公安机关处二千元以上一万元以下罚款”）处罚。",
        cites=[
            (PUBLIC_ORDER_TITLE, "第六条", date(2023, 1, 1)),
            (PUBLIC_ORDER_TITLE, "第十四条", date(2023, 1, 1)),
        ],
        public=(
            "公共场所监控录像保存不足十五日的处理",
            "公共场所监控录像只保存了七天就被系统自动覆盖，能否按删改图像信息处罚？",
        ),
    ),
    dict(
        asker="100002",
        category="zhian",
        days_ago=160,
        state="published",
        show_name=True,
        title="当场盘问检查时执法记录仪没电了怎么办？",
        description="夜间巡逻盘查一名形迹可疑人员，执法记录仪电量耗尽。能否继续盘问检查？事后如何补救？",
        answer="一、“当场盘问、检查应当在执法记录仪记录下进行”（《示例市公安机关现场执法工作细则（示例）》第九条），"
        "执法记录仪应当全程记录，“不得选择性记录”（第十五条）。\n"
        "二、设备故障时，应当由同行民警的执法记录仪接续记录；确实无法记录的，应当在现场笔录中写明原因、起止时间，"
        "并尽量邀请见证人。\n"
        "三、出警前检查设备电量是基本要求；法制部门“定期抽查现场执法音视频资料，对发现的问题及时通报并督促整改”"
        "（第十八条）。",
        cites=[
            (FIELD_RULES_TITLE, "第九条", None),
            (FIELD_RULES_TITLE, "第十五条", None),
            (FIELD_RULES_TITLE, "第十八条", None),
        ],
        public=("当场盘问检查时执法记录仪无法使用的补救", None),
    ),
    dict(
        asker="100005",
        category="zhian",
        days_ago=75,
        state="reviewed",
        title="检查女性当事人随身物品是否必须由女民警进行？",
        description="我所值班时只有男民警，需要检查一名女性违法嫌疑人的背包和外衣口袋。是否必须等女民警到场？",
        answer="《示例市公安机关现场执法工作细则（示例）》第十条要求“检查妇女的身体”由女性工作人员进行。"
        "检查随身携带的背包等物品，不属于对身体的检查，可以由男民警在执法记录仪记录下进行，并请见证人在场。"
        "触及衣物口袋贴身部位的，应当视为身体检查，由女性工作人员进行。",
        cites=[(FIELD_RULES_TITLE, "第十条", None), (FIELD_RULES_TITLE, "第九条", None)],
    ),
    dict(
        asker="100009",
        category="zhian",
        days_ago=40,
        state="published",
        title="一千人以上的商场促销活动需要申请安全许可吗？",
        description="辖区商场计划周末搞促销，预计客流超过一千人。商场问是否需要向我们申请安全许可，提前多久？",
        answer="依照《示例市公共场所治安管理规定（示例）》第七条（2024年修正），“举办一千人以上群众性活动的，"
        "承办者应当在活动举办二十日前通过网上办事平台或者向公安机关提出安全许可申请”。商场日常营业不属于群众性活动；"
        "专门组织、面向社会公众的促销活动预计超过一千人的，应当申请。",
        cites=[(PUBLIC_ORDER_TITLE, "第七条", None)],
        public=("商场大型促销活动是否需要安全许可", None),
    ),
    dict(
        asker="100003",
        category="xingzheng",
        days_ago=12,
        state="answered",
        title="当场处罚决定书当事人拒签怎么办？",
        description="对一名违反治安管理的当事人当场处罚，当事人拒绝在处罚决定书上签名，也不接收。"
        "这种情况下决定书算不算已经交付？",
        answer="《示例市公安机关现场执法工作细则（示例）》第十二条要求“当场交付处罚决定书”，但未规定当事人拒签时如何处理。"
        "可参照第十六条“当事人拒绝签名的，民警应当在登记表上注明”的做法：在处罚决定书上注明拒签情况和时间，"
        "由见证人签名，并依照第十五条全程录音录像，以证明已经当场交付。",
        cites=[
            (FIELD_RULES_TITLE, "第十二条", None),
            (FIELD_RULES_TITLE, "第十六条", None),
            (FIELD_RULES_TITLE, "第十五条", None),
        ],
    ),
    dict(
        asker="100013",
        category="zhian",
        days_ago=9,
        state="assigned",
        title="传唤后询问查证时间如何计算？",
        description="传唤一名殴打他人的违法行为人到所，中途送医检查两个小时。送医时间是否计入询问查证时间？",
    ),
    dict(
        asker="100016",
        category="jiaotong",
        days_ago=1,
        state="submitted",
        title="围观人员起哄妨碍执法能否设置警戒区？",
        description="处理一起交通纠纷时，大量围观人员起哄，影响现场处置。能否设置警戒区域并要求无关人员离开？",
    ),
    dict(
        asker="100019",
        category="zhian",
        days_ago=20,
        state="duplicate",
        duplicate_of="当场盘问检查时执法记录仪没电了怎么办？",
        title="执法记录仪电量不足时盘查怎么办",
        description="巡逻时执法记录仪快没电了，遇到可疑人员还能盘查吗？",
    ),
]


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def load(*, stdout) -> None:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[ANSWERER, HEAD] + [q["asker"] for q in QUESTIONS]
        )
    }
    missing = {ANSWERER, HEAD} - set(users)
    if missing:
        stdout.write(
            f"  legal_online demo: accounts {sorted(missing)} missing; load accounts.demo first"
        )
        return
    answerer, head = users[ANSWERER], users[HEAD]
    _configure(answerer, head)
    created = 0
    for i, spec in enumerate(QUESTIONS, start=1):
        if Consultation.objects.filter(title=spec["title"]).exists():
            continue
        asker = users.get(spec["asker"])
        if asker is None:
            continue
        with transaction.atomic():
            _create(spec, asker=asker, answerer=answerer, reviewer=head)
        created += 1
        stdout.write(f"  [{i}/{len(QUESTIONS)}] {spec['title']}")
    stdout.write(
        f"  legal_online: {created} questions created, {len(QUESTIONS) - created} already there"
    )


def _configure(answerer, head):
    from django.contrib.auth.models import Permission

    head.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="legal_online", codename="receive_escalations"
        )
    )
    Category.objects.filter(slug="zhian", default_answerer__isnull=True).update(
        default_answerer=answerer
    )


def _create(spec, *, asker, answerer, reviewer):
    start = _at(spec["days_ago"], hour=9)
    category = Category.objects.get(slug=spec["category"])
    c = services.consultation_submit(
        asker=asker,
        title=spec["title"],
        description=spec["description"],
        category=category,
        show_name=spec.get("show_name", False),
        now=start,
        rate_limit=False,  # seeding content is not an officer submitting
    )
    state = spec["state"]
    if state == "submitted":
        return c
    if state == "duplicate":
        target = Consultation.objects.get(title=spec["duplicate_of"])
        services.consultation_close_duplicate(
            consultation=c, user=reviewer, duplicate_of=target, now=start + timedelta(hours=3)
        )
        return c
    if c.assignee_id != answerer.pk:
        services.consultation_assign(
            consultation=c, user=reviewer, assignee=answerer, now=start + timedelta(hours=1)
        )
    if state == "assigned":
        return c
    articles = [_cite(title, label, on) for title, label, on in spec.get("cites", [])]
    answered = start + timedelta(days=1, hours=5)
    services.consultation_answer(
        consultation=c, user=answerer, body=spec["answer"], articles=articles, now=answered
    )
    if state == "answered":
        return c
    signed = answered + timedelta(hours=4)
    services.answer_sign_off(consultation=c, user=reviewer, note="同意签发。", now=signed)
    if state == "reviewed":
        return c
    title, question = spec["public"]
    c.refresh_from_db()
    services.consultation_publish(
        consultation=c,
        user=reviewer,
        public_title=title,
        public_question=question or c.description,
        public_body=spec["answer"],
        now=signed + timedelta(hours=2),
    )
    _flag_if_cited_version_changed(articles)
    return c


def _flag_if_cited_version_changed(articles):
    """An answer citing an article version that a later import already replaced shows the banner."""
    from laws.models import ArticleChange

    for change in ArticleChange.objects.filter(old_article__in=articles).select_related(
        "old_article"
    ):
        services.answers_flag_outdated(
            old_article_ids=[change.old_article_id],
            note=f"{change.old_article.citation} 已于 {change.version.label} 修改。",
        )
