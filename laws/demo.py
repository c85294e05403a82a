"""Demo content for the regulations library: two short sample regulations written for this
project (示例, not real law), imported through the same parser and service as real files.

《示例市公共场所治安管理规定（示例）》 has two versions (2019 and 2024); the 2024 text changes a
few articles and adds 第十二条之一, so the version timeline, compare page and impact list have
something to show. Other apps' demo content cites these articles.
"""

from __future__ import annotations

from datetime import date

from laws.metadata import guess_issuing_body
from laws.parsing import parse_markdown
from laws.services import LawSource, law_import, library_index

SAMPLE_NOTE = (
    "【示例】本文件为法制在线系统演示用的示例文本，由系统编写，不是正式法规，不具有法律效力。"
)

PUBLIC_ORDER_TITLE = "示例市公共场所治安管理规定（示例）"
FIELD_RULES_TITLE = "示例市公安机关现场执法工作细则（示例）"

_PUBLIC_ORDER_2019 = """# 示例市公共场所治安管理规定（示例）

2019年3月1日 示例市人民代表大会常务委员会第十次会议通过

<!-- INFO END -->

{note}

## 第一章 总则

第一条 为了维护公共场所治安秩序，保障公民人身和财产安全，根据有关法律、法规，结合本市实际，制定本规定。

第二条 本规定所称公共场所，是指车站、广场、公园、商场、影剧院、体育场馆、网吧、娱乐场所等供公众活动的场所。

第三条 市、区公安机关负责本行政区域内公共场所的治安管理工作。

公安派出所负责辖区内公共场所的日常治安检查。

第四条 公共场所经营管理单位对本场所的治安安全负主体责任，其主要负责人是治安安全第一责任人。

## 第二章 经营管理单位的责任

第五条 公共场所经营管理单位应当履行下列治安安全职责：

（一）建立治安安全管理制度，明确治安安全责任人；

（二）配备与场所规模相适应的安全保卫人员；

（三）在出入口、主要通道安装视频监控设备，并保证正常运行；

（四）发现违法犯罪活动，立即报告公安机关并保护现场。

第六条 视频监控图像信息应当保存不少于十五日，不得删改或者非法提供。

第七条 举办一千人以上群众性活动的，承办者应当在活动举办二十日前向公安机关提出安全许可申请。

第八条 公共场所发生拥挤踩踏等险情时，经营管理单位应当立即启动应急预案，疏导人员，并报告公安机关。

## 第三章 治安检查

第九条 公安机关依法对公共场所进行治安检查。检查时，人民警察不得少于二人，并应当出示人民警察证。

第十条 治安检查发现安全隐患的，公安机关应当书面责令经营管理单位限期整改。

第十一条 经营管理单位对依照本规定第十条作出的整改通知有异议的，可以在收到通知之日起五日内向作出通知的公安机关提出书面意见。

第十二条 人民警察在公共场所执行职务时，对有违法犯罪嫌疑的人员，可以依法当场盘问、检查。

## 第四章 法律责任

第十三条 经营管理单位违反本规定第五条第（三）项规定，未安装视频监控设备的，由公安机关责令限期改正；逾期不改正的，处一千元以上五千元以下罚款。

第十四条 违反本规定第六条规定，删改视频监控图像信息的，由公安机关处二千元以上一万元以下罚款。

第十五条 在公共场所寻衅滋事、结伙斗殴的，依照《中华人民共和国治安管理处罚法》第二十六条的规定处罚；构成犯罪的，依法追究刑事责任。

第十六条 人民警察在治安检查中滥用职权、玩忽职守的，依法给予处分。

## 第五章 附则

第十七条 本规定自2019年5月1日起施行。
"""

# 2024 revision: 第六条 keeps images longer, 第七条 sets a shorter deadline, 第十三条 raises the fine,
# and 第十二条之一 (body-worn cameras) is added.
_PUBLIC_ORDER_2024 = (
    _PUBLIC_ORDER_2019.replace(
        "2019年3月1日 示例市人民代表大会常务委员会第十次会议通过\n",
        "2019年3月1日 示例市人民代表大会常务委员会第十次会议通过\n\n"
        "2024年6月28日 示例市人民代表大会常务委员会第二十二次会议修正\n",
    )
    .replace("应当保存不少于十五日", "应当保存不少于三十日")
    .replace("在活动举办二十日前", "在活动举办二十日前通过网上办事平台或者")
    .replace("处一千元以上五千元以下罚款", "处二千元以上一万元以下罚款")
    .replace(
        "可以依法当场盘问、检查。\n",
        "可以依法当场盘问、检查。\n\n"
        "第十二条之一 人民警察在公共场所开展治安检查、当场盘问检查的，应当按照规定使用执法记录仪，"
        "全程记录执法过程。\n\n依照前款规定形成的音视频资料，应当按照规定保存，不得删改。\n",
    )
    .replace(
        "本规定自2019年5月1日起施行。",
        "本规定自2019年5月1日起施行。2024年修正的条款自2024年9月1日起施行。",
    )
)

_FIELD_RULES = """# 示例市公安机关现场执法工作细则（示例）

2021年1月15日 示例市公安局发布

2021年2月1日 施行

<!-- INFO END -->

{note}

## 第一章 一般规定

第一条 为了规范公安机关人民警察现场执法行为，保障执法安全，维护当事人合法权益，根据《中华人民共和国人民警察法》和《中华人民共和国治安管理处罚法》等法律法规，制定本细则。

第二条 本细则适用于本市各级公安机关人民警察在接处警、巡逻盘查、治安检查、交通管理等现场开展的执法活动。

第三条 现场执法应当坚持依法、规范、公正、文明的原则，做到程序合法、证据确实、处置适当。

## 第二章 出警与到场

第四条 接到报警后，值班民警应当问明报警人姓名、联系方式、事发地点和简要情况，并立即出警。

第五条 出警民警不得少于二人。执行现场执法任务，应当携带执法记录仪、警械和必要的通讯装备。

第六条 到达现场后，民警应当表明身份，出示人民警察证，并告知当事人执法事由。

第七条 到达现场后，应当首先制止正在发生的违法犯罪行为，救助受伤人员，控制现场局势。

## 第三章 现场处置

第八条 对现场发现的违法犯罪嫌疑人，民警可以依照《中华人民共和国人民警察法》第九条的规定当场盘问、检查。

第九条 当场盘问、检查应当在执法记录仪记录下进行，并制作现场笔录。

第十条 需要检查当事人身体的，检查妇女的身体，应当由女性工作人员进行。

第十一条 对违反治安管理行为人，需要传唤调查的，依照《中华人民共和国治安管理处罚法》第八十二条的规定执行。

现场发现的，经出示人民警察证，可以口头传唤，但应当在询问笔录中注明。

第十二条 对事实清楚、证据确凿，依法可以当场处罚的，民警可以当场作出处罚决定，并当场交付处罚决定书。

第十三条 使用警械，应当以制止违法犯罪行为为限度；违法犯罪行为得到制止时，应当立即停止使用。

第十四条 现场遇有围观、起哄等情形的，民警应当劝离无关人员，必要时设置警戒区域。

## 第四章 证据与记录

第十五条 执法记录仪应当自到达现场时开启，至现场执法活动结束时关闭，不得选择性记录。

第十六条 现场提取、扣押的物品，应当当场登记，由当事人和见证人签名；当事人拒绝签名的，民警应当在登记表上注明。

第十七条 本细则第十五条规定的音视频资料，应当在执法活动结束后二十四小时内上传至执法信息系统。

## 第五章 监督

第十八条 法制部门定期抽查现场执法音视频资料，对发现的问题及时通报并督促整改。

第十九条 民警违反本细则规定，造成不良后果的，依照有关规定追究责任。

第二十条 本细则自2021年2月1日起施行。
"""


def _import(text: str, *, level: str, version_date: date, effective: date, tags, stdout) -> None:
    parsed = parse_markdown(text.format(note=SAMPLE_NOTE))
    source = LawSource(
        parsed=parsed,
        source_file="demo:laws.demo",
        level=level,
        version_date=version_date,
        promulgation_date=parsed.promulgation_date,
        effective_date=effective,
        issuing_body=guess_issuing_body(parsed, level, []),
        tags=list(tags),
    )
    if level == "规范性文件":
        source.issuing_body = "示例市公安局"
        source.document_number = "示公发〔2021〕1号（示例）"
    elif level == "地方性法规":
        source.issuing_body = "示例市人民代表大会常务委员会"
    result = law_import(source=source, index_page=library_index())
    state = (
        "unchanged" if result.unchanged else ("created" if result.law_created else "new version")
    )
    stdout.write(
        f"  laws: {parsed.title} ({version_date}) {state}, {len(parsed.articles)} articles\n"
    )


def load(*, stdout) -> None:
    _import(
        _PUBLIC_ORDER_2019,
        level="地方性法规",
        version_date=date(2019, 3, 1),
        effective=date(2019, 5, 1),
        tags=["治安管理", "公共场所"],
        stdout=stdout,
    )
    _import(
        _PUBLIC_ORDER_2024,
        level="地方性法规",
        version_date=date(2024, 6, 28),
        effective=date(2024, 9, 1),
        tags=["治安管理", "公共场所"],
        stdout=stdout,
    )
    _import(
        _FIELD_RULES,
        level="规范性文件",
        version_date=date(2021, 1, 15),
        effective=date(2021, 2, 1),
        tags=["现场执法", "执法规范化"],
        stdout=stdout,
    )
