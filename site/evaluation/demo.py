"""Demo content of the quality evaluation: a standard, 30 evaluated cases over three months for
the demo units, monthly results for two months and a published bulletin. Invented data."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from accounts.models import Unit, User

from . import services
from .models import EvaluatedCase, Standard, StandardItem

STANDARD_NAME = "示例市公安局执法质量考评标准（示例）"
ITEMS = [
    # (ground, text, deduction, fails the case)
    ("facts", "案件事实、情节认定不清", Decimal(10), False),
    ("facts", "违法嫌疑人身份信息核实不全", Decimal(3), False),
    ("evidence", "关键证据缺失或未依法调取", Decimal(10), False),
    ("evidence", "询问笔录未记载告知事项", Decimal(5), False),
    ("evidence", "视听资料未附卷或未注明来源", Decimal(3), False),
    ("law", "适用法律条款错误", Decimal(8), False),
    ("law", "处罚幅度与情节不相当", Decimal(5), False),
    ("procedure", "未依法告知当事人权利", Decimal(5), False),
    ("procedure", "超过法定期限办理", Decimal(5), False),
    ("procedure", "违法限制人身自由", Decimal(20), True),
    ("decision", "涉案财物处理不当", Decimal(5), False),
    ("documents", "法律文书填写不规范", Decimal(2), False),
    ("documents", "文书未按规定送达", Decimal(3), False),
]
CAUSES = [
    ("administrative", "殴打他人"),
    ("administrative", "寻衅滋事"),
    ("administrative", "盗窃（治安）"),
    ("administrative", "扰乱公共场所秩序"),
    ("administrative", "饮酒后驾驶机动车"),
    ("criminal", "盗窃"),
    ("criminal", "诈骗"),
    ("criminal", "危险驾驶"),
]
DEMANDS = {
    "案件事实、情节认定不清": "补充查明案件事实，重新审核认定",
    "违法嫌疑人身份信息核实不全": "补充核实身份信息并附卷",
    "关键证据缺失或未依法调取": "补充调取相关证据，规范取证程序",
    "询问笔录未记载告知事项": "组织办案民警学习询问告知规定",
    "视听资料未附卷或未注明来源": "补齐视听资料并注明来源",
    "适用法律条款错误": "组织学习相关条文，今后准确适用",
    "处罚幅度与情节不相当": "对照裁量基准重新审核",
    "未依法告知当事人权利": "补正告知程序，开展专项培训",
    "超过法定期限办理": "建立办案期限提醒制度",
    "违法限制人身自由": "立即纠正并报法制大队备案",
    "涉案财物处理不当": "按规定处理涉案财物并登记",
    "法律文书填写不规范": "规范填写法律文书",
    "文书未按规定送达": "补充送达并附送达回执",
}
UNIT_CODES = ["D05", "D06", "D0201", "D03", "D04"]
MONTHS = [(2026, 8), (2026, 9), (2026, 10)]


@transaction.atomic
def load(*, stdout) -> None:
    standard = Standard.objects.filter(name=STANDARD_NAME).first()
    if standard is None:
        standard = Standard.objects.create(name=STANDARD_NAME)
        for order, (ground, text, points, fails) in enumerate(ITEMS):
            StandardItem.objects.create(
                standard=standard,
                ground=ground,
                text=text,
                deduction=points,
                fails_case=fails,
                sort_order=order,
            )
    if EvaluatedCase.objects.filter(case_number__startswith="演示").exists():
        stdout.write("  evaluation: demo already loaded")
        return
    staff = User.objects.get(username="900001")
    units = {u.code: u for u in Unit.objects.filter(code__in=UNIT_CODES + ["D"])}
    officers_by_unit: dict[str, list[User]] = {}
    for officer in User.objects.officers().filter(unit__code__in=UNIT_CODES):
        officers_by_unit.setdefault(officer.unit.code, []).append(officer)
    articles = _demo_articles()
    items = list(standard.items.all())
    rng = random.Random(20261126)
    number = 0
    for year, month in MONTHS:
        for _n in range(10):
            number += 1
            code = UNIT_CODES[number % len(UNIT_CODES)]
            people = officers_by_unit.get(code) or [None]
            lead = people[number % len(people)]
            category, cause = CAUSES[rng.randrange(len(CAUSES))]
            accepted = datetime.date(year, month, 1 + rng.randrange(20))
            case = EvaluatedCase.objects.create(
                case_number=f"演示{'X' if category == 'criminal' else 'A'}{year}{month:02d}{number:03d}",
                category=category,
                cause=cause,
                unit=units[code],
                lead_officer=lead,
                accepted_on=accepted,
                closed_on=accepted + datetime.timedelta(days=5 + rng.randrange(20)),
            )
            if len(people) > 1 and people[0] is not None:
                case.assisting_officers.set([p for p in people if p != lead][:1])
            # Most cases have 0–2 problems; the units differ so that the ranking means something.
            count = (
                rng.choice([0, 0, 1, 1, 2, 2, 3])
                if code in ("D06", "D03")
                else rng.choice([0, 0, 0, 1, 1, 2])
            )
            chosen = rng.sample([i for i in items if not i.fails_case], count)
            if number == 17:
                chosen.append(next(i for i in items if i.fails_case))
            problems, demands = [], []
            for index, item in enumerate(chosen):
                article = (
                    articles[number % len(articles)] if item.ground == "law" and articles else None
                )
                problems.append(
                    services.FoundProblem(item, note=_note(item.text, rng), article=article)
                )
                demands.append(
                    services.Demand(
                        DEMANDS[item.text],
                        due_on=accepted + datetime.timedelta(days=40),
                        problem_index=index,
                    )
                )
            evaluation = services.evaluate_case(
                case=case,
                standard=standard,
                problems=problems,
                demands=demands,
                by=staff,
                on=min(accepted + datetime.timedelta(days=30), datetime.date(2026, 11, 20)),
            )
            # Older items were mostly answered and accepted; recent ones are still open.
            for r in evaluation.rectifications.all():
                if month < 10 and rng.random() < 0.8:
                    leader = _leader_for(r.unit) or staff
                    services.rectification_answer(
                        item=r, by=leader, response="已按要求整改，相关材料已附卷。"
                    )
                    services.rectification_review(item=r, by=staff, accept=True)
    bureau = units["D"]
    period = None
    for year, month in MONTHS[1:]:
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        period = services.period_compute(kind="month", start=start, end=end, scope=bureau, by=staff)
    bulletin = services.bulletin_draft(period=period, by=staff)
    bulletin.number = "示法〔2026〕11号"
    bulletin.save()
    from django.urls import reverse

    services.bulletin_publish(
        bulletin=bulletin, by=staff, url=reverse("evaluation:bulletin", args=[bulletin.pk])
    )
    stdout.write(
        f"  evaluation: 1 standard, {number} evaluated cases, 2 monthly results, 1 bulletin"
    )


def _note(text: str, rng: random.Random) -> str:
    notes = {
        "询问笔录未记载告知事项": "第二次询问笔录未记载告知内容",
        "适用法律条款错误": "决定书引用条款与认定的违法行为不一致",
        "关键证据缺失或未依法调取": "现场监控录像未调取",
        "超过法定期限办理": "超过办案期限五日",
    }
    return notes.get(text, "")


def _leader_for(unit):
    for candidate in [unit, *unit.get_ancestors().reverse()]:
        leader = User.objects.filter(unit=candidate, groups__name="单位领导").first()
        if leader:
            return leader
    return None


def _demo_articles():
    from laws.models import Article, LawPage

    law = LawPage.objects.filter(title__contains="现场执法工作细则").first()
    if law is None or law.current_version is None:
        return []
    return list(Article.objects.filter(version=law.current_version).order_by("order")[2:8])
