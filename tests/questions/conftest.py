import pytest


@pytest.fixture
def make_question(db):
    """make_question(stem=..., options=[...], answer="B", qtype="single", status="active", ...)"""
    from questions.services import question_create

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("stem", f"测试题目{counter['n']}：下列说法正确的是")
        qtype = fields.setdefault("qtype", "single")
        if qtype in ("single", "multiple"):
            fields.setdefault("options", ["选项甲", "选项乙", "选项丙", "选项丁"])
            fields.setdefault("answer", "B" if qtype == "single" else "AC")
        elif qtype == "true_false":
            fields.setdefault("answer", "T")
        fields.setdefault("status", "active")
        fields.setdefault("explanation", f"解析{counter['n']}")
        return question_create(**fields)

    return make


@pytest.fixture
def make_case(make_question):
    def make(status="active", **fields):
        case = make_question(
            qtype="case",
            stem=fields.pop("stem", "案情：某日，民警接到报警……"),
            status=status,
            **fields,
        )
        make_question(
            stem="小题一",
            options=["甲", "乙", "丙"],
            answer="A",
            parent=case,
            order=1,
            status=status,
        )
        make_question(
            stem="小题二",
            qtype="multiple",
            options=["甲", "乙", "丙"],
            answer="BC",
            parent=case,
            order=2,
            status=status,
        )
        return case

    return make


LAW_LINES_V1 = [
    "中华人民共和国示例执法法",
    "第一章 总则",
    "第一条 为了规范示例执法活动，制定本法。",
    "第二条 人民警察执行职务时，应当出示工作证件。",
    "第二章 处罚",
    "第三条 违反本法规定的，处警告或者二百元以下罚款。",
]


def import_law(lines, *, version_date):
    from laws.parsing import parse_lines
    from laws.services import LawSource, law_import

    return law_import(
        source=LawSource(
            parsed=parse_lines(lines),
            source_file="test.txt",
            level="法律",
            version_date=version_date,
        )
    )


@pytest.fixture
def sample_law(db, home_page):
    """A small law in the library: 3 articles in 2 chapters (version of 2020-01-01)."""
    import datetime

    from django.test.utils import CaptureQueriesContext  # noqa: F401  (keeps import cheap)

    result = import_law(LAW_LINES_V1, version_date=datetime.date(2020, 1, 1))
    return result.law


@pytest.fixture
def articles(sample_law):
    from laws.models import Article

    return {a.number: a for a in Article.objects.filter(law=sample_law)}
