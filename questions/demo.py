"""Demo question bank: about 60 questions written for this project on the two demo regulations
of laws/demo.py, across all four types, plus some practice history for two demo officers.

Idempotent: a question whose stem is already in the bank is skipped; practice history is only
added to officers who have none.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import Category, PracticeMode, PracticeSession, Question, QuestionStatus
from .practice import grade
from .services import question_create, question_send_to_review, record_responses

PO = "《示例市公共场所治安管理规定（示例）》"
FR = "《示例市公安机关现场执法工作细则（示例）》"
SOURCE = "法制在线演示题库（自编）"
BASIC, MID, HIGH = "basic", "intermediate", "advanced"

# (type, stem, options, answer, explanation, citations, difficulty, knowledge points, levels, category)
S, M, TF = "single", "multiple", "true_false"
QUESTIONS = [
    # --- 公共场所治安管理规定 ------------------------------------------------------------------
    (
        S,
        "依照示例规定，公共场所治安安全的第一责任人是：",
        ["属地派出所所长", "经营管理单位主要负责人", "安全保卫人员", "场所的实际出资人"],
        "B",
        "第四条明确经营管理单位负主体责任，其主要负责人是治安安全第一责任人。",
        [PO + "第四条"],
        1,
        ["主体责任"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        S,
        "下列场所中，不属于示例规定所称“公共场所”列举范围的是：",
        ["车站", "网吧", "居民住宅", "体育场馆"],
        "C",
        "第二条列举了车站、广场、公园、商场、影剧院、体育场馆、网吧、娱乐场所等供公众活动的场所，居民住宅不在其列。",
        [PO + "第二条"],
        1,
        ["公共场所范围"],
        [BASIC],
        "治安管理",
    ),
    (
        S,
        "负责辖区内公共场所日常治安检查的是：",
        ["市公安局治安支队", "公安派出所", "街道办事处", "场所经营管理单位"],
        "B",
        "第三条第二款规定公安派出所负责辖区内公共场所的日常治安检查。",
        [PO + "第三条"],
        1,
        ["治安检查"],
        [BASIC],
        "治安管理",
    ),
    (
        S,
        "现行示例规定要求视频监控图像信息至少保存：",
        ["七日", "十五日", "三十日", "九十日"],
        "C",
        "2024年修正后的第六条将保存期限由十五日延长为三十日。",
        [PO + "第六条"],
        2,
        ["视频监控"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        S,
        "举办多少人以上的群众性活动，承办者须向公安机关提出安全许可申请？",
        ["三百人", "五百人", "一千人", "五千人"],
        "C",
        "第七条规定举办一千人以上群众性活动的，承办者应当提出安全许可申请。",
        [PO + "第七条"],
        2,
        ["群众性活动"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        S,
        "群众性活动的安全许可申请，应当在活动举办前多少日提出？",
        ["五日", "十日", "二十日", "三十日"],
        "C",
        "第七条规定应当在活动举办二十日前提出申请。",
        [PO + "第七条"],
        2,
        ["群众性活动"],
        [MID],
        "治安管理",
    ),
    (
        S,
        "公安机关对公共场所进行治安检查时，检查人员不得少于：",
        ["一人", "二人", "三人", "四人"],
        "B",
        "第九条规定检查时人民警察不得少于二人，并应当出示人民警察证。",
        [PO + "第九条"],
        1,
        ["治安检查", "执法主体"],
        [BASIC],
        "治安管理",
    ),
    (
        S,
        "治安检查发现安全隐患的，公安机关应当：",
        ["口头提醒即可", "书面责令限期整改", "直接查封场所", "移交市场监管部门"],
        "B",
        "第十条规定应当书面责令经营管理单位限期整改。",
        [PO + "第十条"],
        2,
        ["治安检查"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        S,
        "经营管理单位对整改通知有异议的，可以在收到通知之日起几日内提出书面意见？",
        ["三日", "五日", "七日", "十五日"],
        "B",
        "第十一条规定可以在收到通知之日起五日内向作出通知的公安机关提出书面意见。",
        [PO + "第十一条"],
        3,
        ["整改异议"],
        [MID, HIGH],
        "治安管理",
    ),
    (
        S,
        "经营管理单位未安装视频监控设备，逾期不改正的，现行规定的罚款幅度是：",
        [
            "五百元以上一千元以下",
            "一千元以上五千元以下",
            "二千元以上一万元以下",
            "五千元以上二万元以下",
        ],
        "C",
        "2024年修正后第十三条的罚款幅度为二千元以上一万元以下（原为一千元以上五千元以下）。",
        [PO + "第十三条"],
        3,
        ["法律责任", "视频监控"],
        [MID, HIGH],
        "治安管理",
    ),
    (
        S,
        "删改视频监控图像信息的，由公安机关处：",
        ["警告", "五百元以下罚款", "二千元以上一万元以下罚款", "行政拘留"],
        "C",
        "第十四条规定处二千元以上一万元以下罚款。",
        [PO + "第十四条"],
        2,
        ["法律责任", "视频监控"],
        [MID],
        "治安管理",
    ),
    (
        S,
        "在公共场所寻衅滋事，尚不构成犯罪的，示例规定指引适用的是：",
        ["本规定第十四条", "《治安管理处罚法》的相应规定", "场所内部管理制度", "民事赔偿规定"],
        "B",
        "第十五条规定依照《中华人民共和国治安管理处罚法》的规定处罚；构成犯罪的依法追究刑事责任。",
        [PO + "第十五条"],
        2,
        ["法律责任"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        M,
        "公共场所经营管理单位应当履行的治安安全职责包括：",
        [
            "建立治安安全管理制度",
            "配备安全保卫人员",
            "在出入口、主要通道安装视频监控设备",
            "对可疑人员实施搜身",
        ],
        "ABC",
        "第五条列举了四项职责；搜身属于公安机关依法实施的措施，经营管理单位无此权力。",
        [PO + "第五条"],
        2,
        ["主体责任"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        M,
        "发生拥挤踩踏等险情时，经营管理单位应当：",
        ["立即启动应急预案", "疏导人员", "报告公安机关", "先行清点营业损失"],
        "ABC",
        "第八条规定应当立即启动应急预案，疏导人员，并报告公安机关。",
        [PO + "第八条"],
        2,
        ["应急处置"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        M,
        "关于视频监控图像信息，下列说法正确的有：",
        ["应当保存不少于三十日", "不得删改", "不得非法提供", "经营者可自行决定保存期限"],
        "ABC",
        "第六条（2024年修正）规定保存不少于三十日，不得删改或者非法提供。",
        [PO + "第六条"],
        2,
        ["视频监控"],
        [MID],
        "治安管理",
    ),
    (
        M,
        "人民警察在公共场所开展治安检查时，应当做到：",
        ["不少于二人", "出示人民警察证", "按规定使用执法记录仪", "事先征得场所负责人同意"],
        "ABC",
        "第九条要求不少于二人并出示证件；第十二条之一要求按规定使用执法记录仪。依法检查无需事先征得同意。",
        [PO + "第九条", PO + "第十二条之一"],
        3,
        ["治安检查", "执法记录仪"],
        [MID, HIGH],
        "治安管理",
    ),
    (
        M,
        "2024年修正示例规定时，发生变化的内容有：",
        [
            "视频监控图像保存期限",
            "未安装监控设备的罚款幅度",
            "新增执法记录仪使用要求",
            "公共场所的定义",
        ],
        "ABC",
        "修正涉及第六条、第七条、第十三条并新增第十二条之一，第二条公共场所定义未变。",
        [PO + "第六条", PO + "第十三条", PO + "第十二条之一"],
        4,
        ["法规修订"],
        [HIGH],
        "治安管理",
    ),
    (
        TF,
        "公共场所经营管理单位发现违法犯罪活动，应当立即报告公安机关并保护现场。",
        [],
        "T",
        "第五条第（四）项的规定。",
        [PO + "第五条"],
        1,
        ["主体责任"],
        [BASIC],
        "治安管理",
    ),
    (
        TF,
        "人民警察在公共场所对有违法犯罪嫌疑的人员，可以依法当场盘问、检查。",
        [],
        "T",
        "第十二条的规定。",
        [PO + "第十二条"],
        1,
        ["当场盘问"],
        [BASIC],
        "治安管理",
    ),
    (
        TF,
        "依照现行示例规定，治安检查中形成的执法记录仪音视频资料可以在检查结束后由民警自行删改。",
        [],
        "F",
        "第十二条之一第二款规定音视频资料应当按照规定保存，不得删改。",
        [PO + "第十二条之一"],
        2,
        ["执法记录仪"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        TF,
        "举办八百人的群众性活动，依照示例规定必须向公安机关申请安全许可。",
        [],
        "F",
        "第七条的门槛是一千人以上。",
        [PO + "第七条"],
        2,
        ["群众性活动"],
        [BASIC, MID],
        "治安管理",
    ),
    (
        TF,
        "人民警察在治安检查中玩忽职守的，依法给予处分。",
        [],
        "T",
        "第十六条的规定。",
        [PO + "第十六条"],
        1,
        ["执法监督"],
        [BASIC],
        "治安管理",
    ),
    (
        TF,
        "示例规定中，市、区公安机关负责本行政区域内公共场所的治安管理工作。",
        [],
        "T",
        "第三条第一款的规定。",
        [PO + "第三条"],
        1,
        ["执法主体"],
        [BASIC],
        "治安管理",
    ),
    # --- 现场执法工作细则 ----------------------------------------------------------------------
    (
        S,
        "接到报警后，值班民警应当问明的事项不包括：",
        ["报警人姓名和联系方式", "事发地点", "简要情况", "报警人的工作单位和收入"],
        "D",
        "第四条要求问明报警人姓名、联系方式、事发地点和简要情况。",
        [FR + "第四条"],
        1,
        ["接处警"],
        [BASIC],
        "现场执法",
    ),
    (
        S,
        "出警执行现场执法任务的民警不得少于：",
        ["一人", "二人", "三人", "五人"],
        "B",
        "第五条规定出警民警不得少于二人。",
        [FR + "第五条"],
        1,
        ["接处警", "执法主体"],
        [BASIC],
        "现场执法",
    ),
    (
        S,
        "民警到达现场后，首先应当：",
        [
            "询问围观群众",
            "制止正在发生的违法犯罪行为、救助伤员、控制局势",
            "拍照取证",
            "联系当事人家属",
        ],
        "B",
        "第七条规定到达现场后应当首先制止违法犯罪行为，救助受伤人员，控制现场局势。",
        [FR + "第七条"],
        2,
        ["现场处置"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        S,
        "检查妇女的身体，应当由谁进行？",
        ["任何在场民警", "女性工作人员", "当事人家属", "医务人员"],
        "B",
        "第十条规定检查妇女的身体，应当由女性工作人员进行。",
        [FR + "第十条"],
        1,
        ["人身检查"],
        [BASIC],
        "现场执法",
    ),
    (
        S,
        "对违反治安管理行为人需要传唤调查的，示例细则指引依照的是：",
        ["《人民警察法》第九条", "《治安管理处罚法》第八十二条", "细则第十二条", "单位内部规定"],
        "B",
        "第十一条规定依照《中华人民共和国治安管理处罚法》第八十二条的规定执行。",
        [FR + "第十一条"],
        2,
        ["传唤"],
        [MID],
        "现场执法",
    ),
    (
        S,
        "使用警械的限度是：",
        ["以制服对方为限", "以制止违法犯罪行为为限", "以现场民警判断为准", "以上级命令为准"],
        "B",
        "第十三条规定使用警械应当以制止违法犯罪行为为限度，行为得到制止时应当立即停止使用。",
        [FR + "第十三条"],
        2,
        ["警械使用"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        S,
        "执法记录仪应当在何时开启？",
        ["民警认为有必要时", "到达现场时", "当事人同意后", "作出处罚决定时"],
        "B",
        "第十五条规定执法记录仪应当自到达现场时开启，至现场执法活动结束时关闭，不得选择性记录。",
        [FR + "第十五条"],
        2,
        ["执法记录仪"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        S,
        "现场执法音视频资料应当在执法活动结束后多长时间内上传？",
        ["十二小时", "二十四小时", "四十八小时", "七日"],
        "B",
        "第十七条规定应当在执法活动结束后二十四小时内上传至执法信息系统。",
        [FR + "第十七条"],
        2,
        ["执法记录仪"],
        [MID],
        "现场执法",
    ),
    (
        S,
        "负责定期抽查现场执法音视频资料的是：",
        ["督察部门", "法制部门", "指挥中心", "纪检部门"],
        "B",
        "第十八条规定法制部门定期抽查，对发现的问题及时通报并督促整改。",
        [FR + "第十八条"],
        2,
        ["执法监督"],
        [MID, HIGH],
        "现场执法",
    ),
    (
        S,
        "当事人拒绝在扣押物品登记表上签名的，民警应当：",
        ["强制其签名", "在登记表上注明", "不再扣押物品", "由围观群众代签"],
        "B",
        "第十六条规定当事人拒绝签名的，民警应当在登记表上注明。",
        [FR + "第十六条"],
        2,
        ["证据收集"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        S,
        "现场执法应当坚持的原则不包括：",
        ["依法", "规范", "公正", "从重"],
        "D",
        "第三条规定坚持依法、规范、公正、文明的原则。",
        [FR + "第三条"],
        1,
        ["执法原则"],
        [BASIC],
        "现场执法",
    ),
    (
        M,
        "执行现场执法任务，应当携带的装备有：",
        ["执法记录仪", "警械", "必要的通讯装备", "私人相机"],
        "ABC",
        "第五条规定应当携带执法记录仪、警械和必要的通讯装备。",
        [FR + "第五条"],
        1,
        ["接处警"],
        [BASIC],
        "现场执法",
    ),
    (
        M,
        "民警到达现场后，应当：",
        ["表明身份", "出示人民警察证", "告知当事人执法事由", "要求当事人先行缴纳保证金"],
        "ABC",
        "第六条规定应当表明身份，出示人民警察证，并告知当事人执法事由。",
        [FR + "第六条"],
        1,
        ["表明身份"],
        [BASIC],
        "现场执法",
    ),
    (
        M,
        "关于当场盘问、检查，下列说法正确的有：",
        [
            "应当在执法记录仪记录下进行",
            "应当制作现场笔录",
            "检查妇女身体应当由女性工作人员进行",
            "可以不表明身份",
        ],
        "ABC",
        "第九条、第十条规定了记录、笔录和检查妇女身体的要求；第六条要求表明身份。",
        [FR + "第九条", FR + "第十条", FR + "第六条"],
        3,
        ["当场盘问", "人身检查"],
        [MID, HIGH],
        "现场执法",
    ),
    (
        M,
        "现场遇有围观、起哄的，民警可以：",
        ["劝离无关人员", "必要时设置警戒区域", "没收围观群众手机", "对起哄者一律拘留"],
        "AB",
        "第十四条规定应当劝离无关人员，必要时设置警戒区域。",
        [FR + "第十四条"],
        2,
        ["现场处置"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        M,
        "现场提取、扣押物品的登记，应当由谁签名？",
        ["当事人", "见证人", "围观群众", "经营管理单位负责人"],
        "AB",
        "第十六条规定应当当场登记，由当事人和见证人签名。",
        [FR + "第十六条"],
        2,
        ["证据收集"],
        [BASIC, MID],
        "现场执法",
    ),
    (
        M,
        "关于执法记录仪的使用，下列做法违反示例细则的有：",
        [
            "到达现场后才想起开启",
            "只记录对自己有利的片段",
            "执法活动结束后三天才上传",
            "全程记录至执法活动结束",
        ],
        "ABC",
        "第十五条要求到达现场时开启、不得选择性记录；第十七条要求二十四小时内上传。",
        [FR + "第十五条", FR + "第十七条"],
        3,
        ["执法记录仪"],
        [MID, HIGH],
        "现场执法",
    ),
    (
        TF,
        "依法可以当场处罚的，民警可以当场作出处罚决定，并当场交付处罚决定书。",
        [],
        "T",
        "第十二条的规定。",
        [FR + "第十二条"],
        1,
        ["当场处罚"],
        [BASIC],
        "现场执法",
    ),
    (
        TF,
        "违法犯罪行为得到制止后，民警仍可继续使用警械以示惩戒。",
        [],
        "F",
        "第十三条规定违法犯罪行为得到制止时，应当立即停止使用警械。",
        [FR + "第十三条"],
        1,
        ["警械使用"],
        [BASIC],
        "现场执法",
    ),
    (
        TF,
        "示例细则适用于本市各级公安机关人民警察在交通管理现场开展的执法活动。",
        [],
        "T",
        "第二条列举的适用范围包括交通管理。",
        [FR + "第二条"],
        1,
        ["适用范围"],
        [BASIC],
        "现场执法",
    ),
    (
        TF,
        "执法记录仪可以根据现场情况选择性记录。",
        [],
        "F",
        "第十五条明确不得选择性记录。",
        [FR + "第十五条"],
        1,
        ["执法记录仪"],
        [BASIC],
        "现场执法",
    ),
    (
        TF,
        "民警违反示例细则规定，造成不良后果的，依照有关规定追究责任。",
        [],
        "T",
        "第十九条的规定。",
        [FR + "第十九条"],
        1,
        ["执法监督"],
        [BASIC],
        "现场执法",
    ),
    (
        TF,
        "对现场发现的违法犯罪嫌疑人，民警可以依照《人民警察法》的规定当场盘问、检查。",
        [],
        "T",
        "第八条的规定。",
        [FR + "第八条"],
        1,
        ["当场盘问"],
        [BASIC],
        "现场执法",
    ),
    (
        S,
        "示例细则的施行日期是：",
        ["2021年1月15日", "2021年2月1日", "2019年5月1日", "2024年9月1日"],
        "B",
        "第二十条规定本细则自2021年2月1日起施行。",
        [FR + "第二十条"],
        1,
        ["施行日期"],
        [BASIC],
        "现场执法",
    ),
    (
        S,
        "下列关于出警的说法，正确的是：",
        [
            "一名民警即可单独出警",
            "接警后应当立即出警",
            "可以等报警人再次来电后出警",
            "出警可以不携带执法记录仪",
        ],
        "B",
        "第四条规定问明情况后立即出警；第五条要求不少于二人并携带执法记录仪。",
        [FR + "第四条", FR + "第五条"],
        2,
        ["接处警"],
        [BASIC],
        "现场执法",
    ),
    (
        M,
        "下列情形中，民警的做法符合示例细则的有：",
        [
            "到场后先表明身份、出示证件",
            "检查女性嫌疑人身体时由女辅警进行",
            "扣押物品当场登记并请见证人签名",
            "执法结束两天后上传音视频",
        ],
        "ABC",
        "分别见第六条、第十条、第十六条；第十七条要求二十四小时内上传。",
        [FR + "第六条", FR + "第十条", FR + "第十六条", FR + "第十七条"],
        3,
        ["现场处置"],
        [MID, HIGH],
        "现场执法",
    ),
    (
        S,
        "某商场举办一千二百人的促销活动，承办者最迟应当在活动前多少日提出安全许可申请？",
        ["五日", "十日", "二十日", "三十日"],
        "C",
        "人数超过一千人，依第七条应当在活动举办二十日前申请。",
        [PO + "第七条"],
        3,
        ["群众性活动"],
        [MID, HIGH],
        "治安管理",
    ),
    (
        S,
        "某网吧删除了一段十日前的监控录像，依照示例规定，公安机关可以：",
        ["不予处理", "处警告", "处二千元以上一万元以下罚款", "吊销营业执照"],
        "C",
        "网吧属于公共场所；删改视频监控图像信息，依第十四条处二千元以上一万元以下罚款。",
        [PO + "第十四条", PO + "第六条"],
        4,
        ["法律责任", "视频监控"],
        [HIGH],
        "治安管理",
    ),
    (
        TF,
        "公共场所经营管理单位可以将视频监控图像信息提供给与案件无关的第三方。",
        [],
        "F",
        "第六条规定视频监控图像信息不得非法提供。",
        [PO + "第六条"],
        1,
        ["视频监控"],
        [BASIC],
        "治安管理",
    ),
    (
        S,
        "治安检查中，检查人员应当出示的证件是：",
        ["工作单位介绍信", "人民警察证", "身份证", "执法记录仪编号"],
        "B",
        "第九条规定检查时应当出示人民警察证。",
        [PO + "第九条"],
        1,
        ["治安检查", "表明身份"],
        [BASIC],
        "治安管理",
    ),
    (
        M,
        "对现场执法中发现的问题，法制部门应当：",
        ["定期抽查音视频资料", "及时通报发现的问题", "督促整改", "直接作出处分决定"],
        "ABC",
        "第十八条规定法制部门定期抽查，对发现的问题及时通报并督促整改；处分依有关规定另行作出。",
        [FR + "第十八条"],
        3,
        ["执法监督"],
        [MID, HIGH],
        "现场执法",
    ),
    (
        TF,
        "示例细则要求，接到报警后应当在问明情况后立即出警。",
        [],
        "T",
        "第四条的规定。",
        [FR + "第四条"],
        1,
        ["接处警"],
        [BASIC],
        "现场执法",
    ),
]

# Case analyses (案例分析): case text, then sub-questions.
CASES = [
    (
        "某日晚，民警甲独自在火车站广场巡逻，发现男子王某神色慌张、频繁更换位置。甲上前要求王某出示身份证件，"
        "王某询问甲的身份，甲未予回应并要求王某打开背包接受检查，同时未开启执法记录仪。王某拒绝后，甲将其带至值班室。",
        [
            (
                S,
                "民警甲的做法中，违反示例细则“出警民警不得少于二人”要求的是：",
                [
                    "独自执行现场执法任务",
                    "要求王某出示证件",
                    "在火车站广场巡逻",
                    "将王某带至值班室",
                ],
                "A",
                "第五条规定执行现场执法任务的民警不得少于二人。",
                [FR + "第五条"],
            ),
            (
                M,
                "甲在盘问、检查王某时存在的问题有：",
                [
                    "未表明身份、出示人民警察证",
                    "未开启执法记录仪",
                    "未告知执法事由",
                    "对可疑人员进行了询问",
                ],
                "ABC",
                "第六条要求表明身份、出示证件并告知事由；第九条、第十五条要求在执法记录仪记录下进行。询问本身并无不当。",
                [FR + "第六条", FR + "第九条", FR + "第十五条"],
            ),
            (
                S,
                "若王某确有违反治安管理行为需要传唤调查，应当依照：",
                ["《治安管理处罚法》第八十二条", "细则第十二条", "细则第十八条", "场所管理规定"],
                "A",
                "第十一条指引依照《治安管理处罚法》第八十二条执行。",
                [FR + "第十一条"],
            ),
        ],
        ["当场盘问", "执法记录仪"],
        3,
        [MID, HIGH],
        "现场执法",
    ),
    (
        "某区体育场计划举办一场约三千人参加的演唱会。开演前十天，承办者才向公安机关提出安全许可申请。"
        "演出当晚入口处发生拥挤，场馆方未及时疏导，事后又删除了入口处的监控录像。",
        [
            (
                S,
                "承办者提出安全许可申请的时间：",
                [
                    "符合规定",
                    "不符合规定，应当在活动举办二十日前提出",
                    "不符合规定，应当在三十日前提出",
                    "无需申请",
                ],
                "B",
                "第七条规定一千人以上群众性活动应当在活动举办二十日前提出申请。",
                [PO + "第七条"],
            ),
            (
                M,
                "入口处发生拥挤时，场馆方应当：",
                ["立即启动应急预案", "疏导人员", "报告公安机关", "关闭所有出口"],
                "ABC",
                "第八条的规定。",
                [PO + "第八条"],
            ),
            (
                S,
                "场馆方删除监控录像的行为，依照示例规定应当：",
                ["由公安机关处二千元以上一万元以下罚款", "只需补录", "由文化部门处理", "不予处罚"],
                "A",
                "第十四条的规定。",
                [PO + "第十四条"],
            ),
        ],
        ["群众性活动", "视频监控"],
        3,
        [MID, HIGH],
        "治安管理",
    ),
    (
        "民警乙、丙接警后到达一处商场纠纷现场，开启执法记录仪并表明身份。现场围观群众较多并有人起哄，"
        "二人制止了正在发生的殴打行为，对受伤顾客进行救助，随后扣押了作为凶器的折叠刀。",
        [
            (
                M,
                "面对围观起哄，乙、丙可以采取的措施有：",
                [
                    "劝离无关人员",
                    "必要时设置警戒区域",
                    "对起哄者一律使用警械",
                    "要求围观者删除手机视频",
                ],
                "AB",
                "第十四条的规定；使用警械须以制止违法犯罪行为为限（第十三条）。",
                [FR + "第十四条", FR + "第十三条"],
            ),
            (
                S,
                "扣押折叠刀后，正确的做法是：",
                [
                    "带回单位后再补登记",
                    "当场登记，由当事人和见证人签名",
                    "交给商场保管",
                    "拍照后归还",
                ],
                "B",
                "第十六条的规定。",
                [FR + "第十六条"],
            ),
            (
                S,
                "本次执法的音视频资料最迟应当在何时上传？",
                ["当日下班前", "执法活动结束后二十四小时内", "一周内", "法制部门抽查时"],
                "B",
                "第十七条的规定。",
                [FR + "第十七条"],
            ),
        ],
        ["现场处置", "证据收集"],
        2,
        [BASIC, MID],
        "现场执法",
    ),
]

# Written against the 2019 text (pinned there) and flagged when the 2024 revision changed 第六条.
PINNED_2019 = [
    (
        S,
        "视频监控图像信息至少应当保存多少日？（2019年版）",
        ["七日", "十五日", "三十日", "六十日"],
        "B",
        "2019年版第六条规定保存不少于十五日。",
        [PO + "第六条"],
        2,
        ["视频监控"],
        [BASIC],
        "治安管理",
    ),
    (
        S,
        "未安装视频监控设备逾期不改正的罚款幅度（2019年版）是：",
        ["一千元以上五千元以下", "二千元以上一万元以下", "五百元以下", "五千元以上"],
        "A",
        "2019年版第十三条规定处一千元以上五千元以下罚款。",
        [PO + "第十三条"],
        2,
        ["法律责任"],
        [MID],
        "治安管理",
    ),
]

# Statuses other than active, to show the workflow in the admin.
OTHER_STATUS = {
    "示例细则的施行日期是：": QuestionStatus.REVIEWED,
    "下列关于出警的说法，正确的是：": QuestionStatus.DRAFT,
    "现场执法应当坚持的原则不包括：": QuestionStatus.RETIRED,
}


def _articles(citations, *, on=None, stdout=None):
    from laws.references import resolve_reference

    found = []
    for text in citations:
        article = resolve_reference(text, on=on)
        if article is None:
            if stdout:
                stdout.write(f"  questions: citation not found, skipped: {text}")
            continue
        found.append(article)
    return found


def _category(name, cache):
    if name not in cache:
        cache[name], _ = Category.objects.get_or_create(name=name)
    return cache[name]


def load(*, stdout) -> None:
    from .integrations import deferred_indexing

    with deferred_indexing(), transaction.atomic():
        _load(stdout=stdout)


def _load(*, stdout) -> None:
    existing = set(Question.objects.values_list("stem", flat=True))
    categories: dict[str, Category] = {}
    created = 0
    for (
        qtype,
        stem,
        options,
        answer,
        explanation,
        citations,
        difficulty,
        points,
        levels,
        category,
    ) in QUESTIONS:
        if stem in existing:
            continue
        question_create(
            qtype=qtype,
            stem=stem,
            options=options,
            answer=answer,
            explanation=explanation,
            articles=_articles(citations, stdout=stdout),
            source=SOURCE,
            difficulty=difficulty,
            knowledge_points=points,
            levels=levels,
            category=_category(category, categories),
            status=OTHER_STATUS.get(stem, QuestionStatus.ACTIVE),
        )
        created += 1
    for text, parts, points, difficulty, levels, category in CASES:
        if text in existing:
            continue
        case = question_create(
            qtype="case",
            stem=text,
            explanation="",
            source=SOURCE,
            difficulty=difficulty,
            knowledge_points=points,
            levels=levels,
            category=_category(category, categories),
            status=QuestionStatus.ACTIVE,
        )
        for order, (qtype, stem, options, answer, explanation, citations) in enumerate(
            parts, start=1
        ):
            question_create(
                qtype=qtype,
                stem=stem,
                options=options,
                answer=answer,
                explanation=explanation,
                articles=_articles(citations, stdout=stdout),
                source=SOURCE,
                parent=case,
                order=order,
                status=QuestionStatus.ACTIVE,
            )
        created += 1
    for (
        qtype,
        stem,
        options,
        answer,
        explanation,
        citations,
        difficulty,
        points,
        levels,
        category,
    ) in PINNED_2019:
        if stem in existing:
            continue
        question = question_create(
            qtype=qtype,
            stem=stem,
            options=options,
            answer=answer,
            explanation=explanation,
            articles=_articles(citations, on=date(2020, 1, 1), stdout=stdout),
            source=SOURCE,
            difficulty=difficulty,
            knowledge_points=points,
            levels=levels,
            category=_category(category, categories),
            status=QuestionStatus.ACTIVE,
        )
        article = question.cited_articles.select_related("law").first()
        if article is not None and article.current() != article:
            from .integrations import change_reason

            class _Change:  # the same reason text the law-change receiver writes
                kind = "changed"
                new_article_id = True
                old_article = article

            question_send_to_review(question, change_reason(_Change))
        created += 1
    stdout.write(
        f"  questions: {created} demo questions created ({Question.objects.top_level().count()} in the bank)"
    )
    _practice_history(stdout)


def _practice_history(stdout) -> None:
    """Some practice answers for the first two demo officers, so progress pages have content."""
    from accounts.demo import officer_numbers
    from accounts.models import User

    active = list(
        Question.objects.active().order_by("pk").prefetch_related("options", "parts__options")
    )
    if not active:
        return
    for number in officer_numbers()[:2]:
        user = User.objects.filter(police_number=number).first()
        if user is None or PracticeSession.objects.filter(user=user).exists():
            continue
        rng = random.Random(f"demo:{number}")
        for day in range(6, 0, -1):
            picked = rng.sample(active, min(8, len(active)))
            started = timezone.now() - timedelta(days=day, hours=rng.randint(0, 5))
            session = PracticeSession.objects.create(
                user=user,
                mode=PracticeMode.RANDOM,
                title="随机练习",
                question_ids=[q.pk for q in picked],
                started_at=started,
                finished_at=started + timedelta(minutes=15),
            )
            correct = 0
            for question in picked:
                response = _demo_response(question, right=rng.random() < 0.7)
                right = grade(question, response).correct
                record_responses(
                    user=user,
                    items=[(question, response, right)],
                    source="practice",
                    source_ref=str(session.pk),
                    answered_at=started,
                )
                correct += right
            PracticeSession.objects.filter(pk=session.pk).update(
                position=len(picked), answered=len(picked), correct=correct
            )
        stdout.write(f"  questions: practice history for {user.display_name}")


def _demo_response(question, *, right: bool) -> str:
    if question.is_case:
        return "|".join(p.answer if right else _wrong(p) for p in question.part_list())
    return question.answer if right else _wrong(question)


def _wrong(question) -> str:
    if question.qtype == "true_false":
        return "F" if question.answer == "T" else "T"
    return "A" if question.answer != "A" else "B"
