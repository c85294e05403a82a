"""import_questions: the shared 300, all-or-nothing rejection with every error, export round trip."""

import csv
import io

import pytest

from django.core.management import CommandError, call_command

from questions.bankfile import TEMPLATE_COLUMNS, parse_bytes, template_example_rows, write_xlsx
from questions.importer import ImportRejected, export_questions_xlsx, import_question_files
from questions.models import Question, QuestionStatus, QuestionType

pytestmark = pytest.mark.django_db


def _template_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.shared_data
def test_shared_questions_import_all_300_with_their_answers(shared_data):
    files = sorted((shared_data / "questions").glob("*.csv"))
    out = io.StringIO()
    call_command("import_questions", *map(str, files), "--status", "active", stdout=out)
    assert "[300/300]" in out.getvalue()
    top = Question.objects.top_level()
    assert top.count() == 300
    assert top.filter(qtype=QuestionType.SINGLE).count() == 190
    assert top.filter(qtype=QuestionType.MULTIPLE).count() == 110
    assert not top.exclude(status=QuestionStatus.ACTIVE).exists()
    # Spot-check the answers against the files themselves.
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            record = next(csv.DictReader(handle))
        question = top.filter(stem=record["input"].strip()).first()
        assert question is not None, path.name
        assert question.answer == "".join(sorted(record["output"]))
        assert [o.text for o in question.option_list()] == [record[k].strip() for k in "ABCD"]
        question.answer_key()  # every key is valid for the engine


def test_bad_file_is_rejected_whole_with_every_error(tmp_path):
    good = {"题型": "单选", "题干": "合格的题目", "选项A": "甲", "选项B": "乙", "答案": "A"}
    rows = [
        good,
        {"题型": "问答", "题干": "未知题型"},
        {"题型": "单选", "题干": "答案不在选项中", "选项A": "甲", "选项B": "乙", "答案": "E"},
        {
            "题型": "单选",
            "题干": "单选两个答案",
            "选项A": "甲",
            "选项B": "乙",
            "选项C": "丙",
            "答案": "AB",
        },
        {
            "题型": "多选",
            "题干": "引用不存在的法条",
            "选项A": "甲",
            "选项B": "乙",
            "答案": "AB",
            "考查法条": "《不存在的法》第九百九十九条",
        },
        {"题型": "判断", "题干": "判断题答案不对", "答案": "也许"},
        {
            "题型": "单选",
            "题干": "难度超范围",
            "选项A": "甲",
            "选项B": "乙",
            "答案": "A",
            "难度": "9",
        },
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(_template_csv(rows))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_questions", str(path), stdout=io.StringIO())
    message = str(excinfo.value)
    assert "未导入任何题目" in message
    for row, reason in [
        (3, "未知题型“问答”"),
        (4, "答案 E 不在选项中"),
        (5, "单选题只能有一个答案"),
        (6, "考查法条“《不存在的法》第九百九十九条”在法规库中找不到"),
        (7, "判断题答案应为“正确”或“错误”"),
        (8, "难度应为 1 至 5 的整数"),
    ]:
        assert f"bad.csv 第 {row} 行：{reason}" in message, reason
    assert not Question.objects.exists()  # the good row was not imported either


def test_errors_across_several_files_are_all_reported():
    ok = _template_csv(
        [{"题型": "单选", "题干": "好题", "选项A": "甲", "选项B": "乙", "答案": "B"}]
    )
    bad = _template_csv([{"题型": "多选", "题干": "只有一个选项", "选项A": "甲", "答案": "A"}])
    shared_bad = "input,output,A,B,C,D,source,multichoice\n题干,AE,a,b,c,d,x,True\n题干2,A,a,b,c,d,x,maybe\n".encode()
    with pytest.raises(ImportRejected) as excinfo:
        import_question_files([("ok.csv", ok), ("bad.csv", bad), ("shared.csv", shared_bad)])
    reasons = [str(e) for e in excinfo.value.errors]
    assert any(r.startswith("bad.csv 第 2 行：选择题至少需要 2 个选项") for r in reasons)
    assert any(r.startswith("shared.csv 第 2 行：答案 E 不在选项中") for r in reasons)
    assert any(r.startswith("shared.csv 第 3 行：multichoice 应为 True 或 False") for r in reasons)
    assert not Question.objects.exists()


def test_unknown_header_and_file_type_are_errors():
    with pytest.raises(ImportRejected) as excinfo:
        import_question_files([("x.csv", b"foo,bar\n1,2\n"), ("x.txt", b"hello")])
    assert len(excinfo.value.errors) == 2


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(
        _template_csv([{"题型": "判断", "题干": "民警执法应当出示证件。", "答案": "正确"}])
    )
    out = io.StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    assert "可导入 1 道题" in out.getvalue()
    assert not Question.objects.exists()


def test_gbk_csv_from_excel_is_read(tmp_path):
    data = (
        _template_csv([{"题型": "判断", "题干": "中文编码", "答案": "错"}])
        .decode()
        .encode("gb18030")
    )
    report = import_question_files([("gbk.csv", data)])
    assert report.created == 1
    assert Question.objects.get().answer == "F"


def test_template_imports_and_export_round_trips():
    template = write_xlsx(template_example_rows(), with_instructions=True)
    report = import_question_files([("template.xlsx", template)], status="active")
    assert report.created == 4
    case = Question.objects.get(qtype=QuestionType.CASE)
    assert [p.answer for p in case.part_list()] == ["A", "AB"]
    assert case.answer_key().points == 2

    exported = export_questions_xlsx(Question.objects.all())
    first = parse_bytes("export.xlsx", exported)
    assert not first.errors
    # Import the export into an empty bank and export again: the same workbook rows.
    Question.objects.all().delete()
    import_question_files([("export.xlsx", exported)])
    again = parse_bytes("again.xlsx", export_questions_xlsx(Question.objects.all()))

    def comparable(result):
        return [
            (
                q.qtype,
                q.stem,
                q.options,
                q.answer,
                q.explanation,
                q.difficulty,
                q.knowledge_points,
                q.levels,
                [(p.qtype, p.stem, p.options, p.answer) for p in q.parts],
            )
            for q in result.questions
        ]

    assert comparable(again) == comparable(first)
    assert comparable(first)[0][0:4] == (
        "single",
        "（示例）单选题题干",
        ("选项一", "选项二", "选项三", "选项四"),
        "B",
    )


def test_duplicates_are_flagged_on_import(make_question):
    existing = make_question(stem="重复的题干", options=["甲", "乙"], answer="A")
    data = _template_csv(
        [{"题型": "单选", "题干": "重复的题干。", "选项A": "乙", "选项B": "甲", "答案": "B"}]
    )
    report = import_question_files([("dup.csv", data)])
    assert report.duplicates[0][1] == existing.pk
    assert Question.objects.exclude(pk=existing.pk).get().duplicate_of == existing
