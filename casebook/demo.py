"""Demo cases for ``load_demo_data``: written for this project (names and events are invented).

Each case cites the demo regulations (laws/demo.py) by citation text; a citation the library
cannot resolve is skipped and reported. Idempotent: a case already loaded is left alone.
"""

from __future__ import annotations

import datetime

from casebook.parsing import ArticleRef, ParsedAnnotation, ParsedCase

# The demo regulations of laws/demo.py (sample texts, not real law).
RULES = "《示例市公共场所治安管理规定（示例）》"
FIELD = "《示例市公安机关现场执法工作细则（示例）》"


def cite(law: str, article: str) -> ArticleRef:
    return ArticleRef(citation=f"{law}{article}")


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _note(
    case: ParsedCase, field: str, quote: str, note: str, kind: str = "note", citation: str = ""
):
    start, end = _span(getattr(case, field), quote)
    case.annotations.append(
        ParsedAnnotation(
            field,
            start,
            end,
            kind,
            note,
            quote,
            ArticleRef(citation=citation) if citation else None,
        )
    )


def _findings(**verdicts) -> list[dict]:
    order = ["facts", "evidence", "law", "procedure", "decision", "documents"]
    out = []
    for ground in order:
        verdict, note = verdicts.get(ground, ("sound", ""))
        out.append({"ground": ground, "verdict": verdict, "note": note})
    return out


def demo_cases() -> list[ParsedCase]:
    cases = []

    c = ParsedCase(
        source="demo",
        source_id="fight-2024-01",
        title="王某殴打他人案",
        case_number="示公（城）行罚决字〔2024〕0312号",
        kind="public_order",
        handling_unit="城关派出所",
        decided_on=datetime.date(2024, 3, 12),
        year=2024,
        keywords=["殴打他人", "行政拘留", "调解"],
        key_points=(
            "因民间纠纷引起的殴打他人案件，经调解未达成协议或者达成协议后不履行的，公安机关应当依法处罚；"
            "办案民警应当把调解过程和当事人的意见记录在案。"
        ),
        facts=(
            "2024年3月2日20时许，王某在城关镇幸福广场因停车位与邻居李某发生争执。"
            "争执中王某用拳头击打李某面部两下，致李某鼻部出血。"
            "接警后，民警十分钟内到达现场，制止了双方的冲突，调取了广场的监控录像，并询问了两名在场证人。"
            "经法医鉴定，李某的伤情为轻微伤。"
        ),
        handling=(
            "3月5日，派出所组织双方调解，李某要求王某赔偿医疗费并赔礼道歉，王某拒绝。"
            "调解不成后，派出所依法告知王某拟作出处罚的事实、理由、依据及其陈述、申辩权利，王某未提出新的事实和理由。"
            "3月12日，城关派出所所属公安分局决定对王某行政拘留七日，并处罚款二百元。"
        ),
        reasoning=(
            "王某殴打他人致轻微伤，事实有监控录像、证人证言、鉴定意见和王某本人的陈述证实。"
            "双方经调解未达成协议，应当依法对王某予以处罚。"
        ),
        commentary=[
            {"type": "heading", "value": "评析"},
            {
                "type": "paragraph",
                "value": "本案是一起典型的因邻里纠纷引发的殴打他人案件。办案民警到场迅速、取证及时，"
                "监控录像与证人证言相互印证，认定事实的证据充分。",
            },
            {
                "type": "point",
                "value": {
                    "title": "先调解、后处罚",
                    "text": "对情节较轻的民间纠纷，可以先行调解；"
                    "调解不成的，应当依法处罚，并告知当事人可以就民事争议向人民法院提起诉讼。",
                },
            },
            {
                "type": "point",
                "value": {
                    "title": "告知程序不能省",
                    "text": "作出处罚决定前，必须告知拟作出处罚的事实、理由、依据和当事人的权利，并记录在案。",
                },
            },
        ],
        rating="excellent",
        findings=_findings(
            facts=("sound", "时间、地点、起因、经过、后果清楚。"),
            evidence=("sound", "监控录像、两名证人证言、鉴定意见相互印证。"),
            law=("sound", "适用殴打他人的规定正确。"),
            procedure=("sound", "调解、告知、决定各环节均有记录。"),
            decision=("sound", "处罚幅度与情节相当。"),
            documents=("sound", "文书填写完整，文号规范。"),
        ),
        articles=[
            cite(RULES, "第十五条"),
            cite(FIELD, "第七条"),
            cite(FIELD, "第十五条"),
            ArticleRef(citation="《治安管理处罚法》第四十三条"),
        ],
    )
    _note(
        c,
        "facts",
        "调取了广场的监控录像，并询问了两名在场证人",
        "第一时间固定客观证据，是本案证据充分的关键。",
    )
    _note(
        c,
        "facts",
        "伤情为轻微伤",
        "轻微伤是殴打他人案件中区分治安案件与刑事案件的重要界线。",
        kind="highlight",
    )
    _note(
        c,
        "facts",
        "制止了双方的冲突",
        "到场后先制止违法行为，符合现场执法细则的要求。",
        kind="article",
        citation=f"{FIELD}第七条",
    )
    cases.append(c)

    c = ParsedCase(
        source="demo",
        source_id="drunk-2024-02",
        title="赵某醉酒驾驶机动车案",
        case_number="示公（交）立字〔2024〕0045号",
        kind="traffic",
        handling_unit="交通警察大队",
        decided_on=datetime.date(2024, 4, 20),
        year=2024,
        keywords=["醉酒驾驶", "危险驾驶", "呼气酒精检测"],
        key_points="醉酒驾驶机动车的认定以血液酒精含量检验结果为准；呼气检测只是初步筛查，抽血必须及时、全程记录。",
        facts=(
            "2024年4月6日23时10分，交警在环城路设卡检查时，发现赵某驾驶小型轿车神情异常。"
            "经呼气酒精检测，结果为每百毫升九十二毫克。"
            "民警随即将赵某带至医院提取血样，抽血过程由执法记录仪全程记录。"
            "经检验，赵某血液中乙醇含量为每百毫升一百零五毫克。"
        ),
        handling=(
            "交通警察大队对赵某醉酒驾驶机动车一案立案侦查，依法吊销其机动车驾驶证，并将案件移送审查起诉。"
        ),
        reasoning="赵某血液酒精含量达到醉酒标准，在道路上驾驶机动车，涉嫌危险驾驶罪。",
        commentary=[
            {
                "type": "paragraph",
                "value": "本案办理规范，但立案时间距查获时间间隔较长，案卷中缺少对延迟原因的说明，评为合格。",
            },
            {
                "type": "point",
                "value": {
                    "title": "血样提取要及时",
                    "text": "查获后应当立即提取血样，避免因时间推移影响检验结果。",
                },
            },
        ],
        rating="qualified",
        findings=_findings(
            procedure=("flawed", "立案时间晚于查获时间十四天，案卷中没有说明原因。"),
        ),
        articles=[
            cite(FIELD, "第十五条"),
            ArticleRef(citation="《刑法》第一百三十三条之一"),
        ],
    )
    _note(
        c,
        "facts",
        "抽血过程由执法记录仪全程记录",
        "全程记录可以有效应对当事人对检材来源的质疑。",
        kind="article",
        citation=f"{FIELD}第十五条",
    )
    _note(
        c,
        "facts",
        "血液中乙醇含量为每百毫升一百零五毫克",
        "达到每百毫升八十毫克即属醉酒驾驶。",
        kind="highlight",
    )
    cases.append(c)

    c = ParsedCase(
        source="demo",
        source_id="theft-2024-03",
        title="钱某盗窃案",
        case_number="示公（东）行罚决字〔2024〕0101号",
        kind="public_order",
        handling_unit="东关派出所",
        decided_on=datetime.date(2024, 5, 8),
        year=2024,
        keywords=["盗窃", "证据不足", "告知程序"],
        key_points="认定盗窃必须有证据证明被盗财物的存在、价值和行为人的取得行为；仅凭被害人陈述不能定案。",
        facts=(
            "2024年5月1日，某超市报称店内丢失两瓶白酒，怀疑顾客钱某所为。"
            "民警询问了超市店员，店员称看到钱某在酒水货架前停留。"
            "民警未调取超市监控，也未查找被盗白酒的下落。"
            "十天后钱某提出异议时，超市称监控录像已被覆盖。"
        ),
        handling="东关派出所于5月8日对钱某作出罚款五百元的决定，决定书未载明告知钱某陈述、申辩权利的情况。",
        reasoning="派出所认为店员的陈述足以证明钱某盗窃。",
        commentary=[
            {"type": "heading", "value": "问题与教训"},
            {
                "type": "paragraph",
                "value": "本案仅有店员的推测性陈述，没有监控录像、物证或者钱某的供述，"
                "认定钱某盗窃的证据明显不足。同时，作出处罚决定前没有履行告知程序，程序违法。",
            },
            {
                "type": "point",
                "value": {
                    "title": "孤证不能定案",
                    "text": "单一的、推测性的证人证言不能证明违法事实。",
                },
            },
        ],
        rating="problem",
        findings=_findings(
            facts=("wrong", "被盗财物是否存在、是否为钱某取走均未查清。"),
            evidence=("wrong", "只有店员的推测性陈述，未调取监控。"),
            law=("flawed", "在事实不清的情况下适用盗窃的规定。"),
            procedure=("wrong", "未履行处罚前告知程序。"),
            decision=("wrong", "证据不足即作出处罚。"),
            documents=("flawed", "决定书缺少告知情况的记载。"),
        ),
        articles=[
            cite(RULES, "第六条"),
            cite(FIELD, "第三条"),
            ArticleRef(citation="《治安管理处罚法》第四十九条"),
        ],
    )
    _note(
        c,
        "facts",
        "民警未调取超市监控，也未查找被盗白酒的下落",
        "关键证据缺失：本案被评为问题案件的主要原因。",
    )
    _note(
        c,
        "handling",
        "决定书未载明告知钱某陈述、申辩权利的情况",
        "缺少告知程序，处罚决定可能被撤销。",
    )
    _note(
        c,
        "facts",
        "超市称监控录像已被覆盖",
        "案发时的规定要求监控图像保存不少于十五日，民警本可及时调取；该条在2024年修正。",
        kind="article",
        citation=f"{RULES}第六条",
    )
    cases.append(c)

    c = ParsedCase(
        source="demo",
        source_id="obstruct-2024-04",
        title="孙某阻碍人民警察依法执行职务案",
        case_number="示公（城）行罚决字〔2024〕0420号",
        kind="public_order",
        handling_unit="城关派出所",
        decided_on=datetime.date(2024, 10, 15),
        year=2024,
        keywords=["阻碍执行职务", "执法记录仪", "行政拘留"],
        key_points="阻碍人民警察依法执行职务的，从重处罚；现场执法记录是认定阻碍行为的主要证据。",
        facts=(
            "2024年10月8日，民警在人民公园开展治安检查，对形迹可疑的孙某当场盘问时，孙某多次推搡民警并抢夺执法记录仪。"
            "民警口头警告无效后，将孙某带离现场。执法记录仪完整记录了事件经过。"
        ),
        handling="城关派出所所属公安分局决定对孙某行政拘留十日。",
        reasoning="孙某以推搡、抢夺执法装备的方式阻碍民警依法执行职务，应当从重处罚。",
        commentary=[
            {
                "type": "paragraph",
                "value": "现场处置中，民警先警告、后控制，执法记录完整，做到了依法、规范、文明执法。",
            },
        ],
        rating="excellent",
        findings=_findings(),
        articles=[
            cite(RULES, "第十二条"),
            cite(RULES, "第十二条之一"),
            cite(FIELD, "第十四条"),
            ArticleRef(citation="《治安管理处罚法》第五十条"),
        ],
    )
    _note(c, "facts", "民警口头警告无效后", "先警告后处置，体现了比例原则。")
    _note(
        c,
        "facts",
        "执法记录仪完整记录了事件经过",
        "2024年修正后的规定明确要求当场盘问检查时使用执法记录仪。",
        kind="article",
        citation=f"{RULES}第十二条之一",
    )
    cases.append(c)
    return cases


def load(*, stdout) -> None:
    from casebook.models import CasePage
    from casebook.services import case_import

    new = [c for c in demo_cases() if not CasePage.objects.filter(import_key=c.import_key).exists()]
    if not new:
        stdout.write("  casebook: demo cases already loaded")
        return
    for c in new:
        c.file, c.line = "casebook/demo.py", 0
    report = case_import(cases=new, publish=True)
    stdout.write(
        f"  casebook: {report.created} demo case(s), {report.articles_linked} article link(s)"
    )
    if report.articles_missing:
        stdout.write(
            f"  casebook: {len(report.articles_missing)} cited article(s) not in the library (load laws first)"
        )
