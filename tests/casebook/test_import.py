"""import_cases: the shared judgments, the project's own format, errors, PII, export round trip."""

import json

import pytest

from django.core.management import CommandError, call_command

from casebook.models import Annotation, CasePage
from casebook.parsing import CRIMINAL_LAW, FORMAT_TAG, parse_file

pytestmark = pytest.mark.django_db


def shared_case_files(shared_data):
    return sorted(str(p) for p in (shared_data / "cases").glob("*.jsonl"))


@pytest.fixture
def criminal_law(shared_data, home_page):
    """The real 刑法 text from the shared data, through the library's own importer."""
    call_command("import_laws", str(shared_data / "laws" / "刑法" / "刑法.md"), verbosity=0)
    from laws.models import LawPage

    return LawPage.objects.get(title=CRIMINAL_LAW)


def test_all_100_shared_cases_import_as_drafts_and_judge_cases_link_the_right_articles(
    shared_data, criminal_law, case_index
):
    files = shared_case_files(shared_data)
    call_command("import_cases", *files, verbosity=0)

    assert CasePage.objects.count() == 100
    assert not CasePage.objects.live().exists()  # drafts for staff to review
    expected = {}
    for case in parse_file(shared_data / "cases" / "judge_test.jsonl").cases:
        expected[case.import_key] = {n.number for n in case.articles if n.suffix == 0}
    assert len(expected) == 55
    for page in CasePage.objects.filter(import_key__startswith="judge:").prefetch_related(
        "case_articles__article"
    ):
        linked = [ca.article for ca in page.case_articles.all()]
        assert {a.number for a in linked if a.suffix == 0} == expected[page.import_key], page.title
        assert all(a.law_id == criminal_law.pk for a in linked)
    # 危险驾驶: la says 133, the judgment cites 第一百三十三条之一; both are linked.
    drunk = CasePage.objects.get(case_number="（2018）闽0102刑初389号")
    assert {(ca.article.number, ca.article.suffix) for ca in drunk.case_articles.all()} >= {
        (133, 0),
        (133, 1),
    }
    assert drunk.decided_on.isoformat() == "2018-06-06"
    assert drunk.handling_unit == "福建省福州市鼓楼区人民法院"
    assert set(drunk.keywords.names()) == {"危险驾驶罪"}

    # Importing again adds nothing.
    call_command("import_cases", *files, verbosity=0)
    assert CasePage.objects.count() == 100


def test_shared_cases_without_the_criminal_law_still_import(shared_data, case_index, capsys):
    call_command("import_cases", *shared_case_files(shared_data))
    out = capsys.readouterr().out
    assert CasePage.objects.count() == 100
    assert "not in the library" in out
    assert "[100/100]" in out


def test_dry_run_saves_nothing(shared_data, case_index, capsys):
    call_command("import_cases", *shared_case_files(shared_data), "--dry-run")
    assert "100 case(s) would be imported" in capsys.readouterr().out
    assert CasePage.objects.count() == 0


def own_record(**fields):
    record = {
        "format": FORMAT_TAG,
        "id": "t1",
        "title": "王某殴打他人案",
        "kind": "治安",
        "date": "2024-03-10",
        "facts": "王某（手机13812345678）殴打李某。",
        "keywords": ["殴打他人"],
        "articles": [{"citation": "《治安管理处罚法》第四十三条"}],
        "review": {
            "rating": "problem",
            "findings": [{"ground": "procedure", "verdict": "wrong", "note": "未告知"}],
        },
        "annotations": [
            {
                "field": "facts",
                "start": 0,
                "end": 2,
                "quote": "王某",
                "kind": "note",
                "note": "行为人",
            }
        ],
        "commentary": [{"type": "paragraph", "value": "本案评析。"}],
    }
    record.update(fields)
    return json.dumps(record, ensure_ascii=False)


def test_a_file_with_one_bad_record_is_refused_whole_and_the_other_files_import(
    tmp_path, case_index
):
    good = tmp_path / "good.jsonl"
    good.write_text(own_record() + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        own_record(id="t2") + "\n" + own_record(id="t3", kind="民事") + "\n{oops\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_cases", str(good), str(bad), verbosity=0)
    message = str(exc.value)
    assert f"{bad}:2: kind '民事' is not one of" in message
    assert f"{bad}:3: 不是有效的 JSON (invalid JSON" in message
    assert "1 个文件有错误，未导入；其余文件已导入" in message
    # The good file is its own unit of work and imported; nothing of the bad one (not even t2).
    assert list(CasePage.objects.values_list("title", flat=True)) == ["王某殴打他人案"]


def test_own_format_import_masks_pii_links_articles_and_round_trips(
    tmp_path, case_index, public_order_law
):
    path = tmp_path / "own.jsonl"
    path.write_text(own_record() + "\n", encoding="utf-8")
    call_command("import_cases", str(path), verbosity=0)
    page = CasePage.objects.get()
    assert "13812345678" not in page.facts and "×××××××××××" in page.facts
    assert page.pii_masked == {"mobile": 1}
    assert page.kind == "public_order" and page.rating == "problem"
    assert page.findings.get().verdict == "wrong"
    article = page.case_articles.get().article
    assert article.number == 43 and "旧版" in article.text  # the 2013 text applied in 2024
    note = Annotation.objects.get()
    assert page.facts[note.start : note.end] == "王某" and note.note == "行为人"
    assert page.commentary[0].block_type == "paragraph"

    out = tmp_path / "export.jsonl"
    call_command("export_cases", str(out), "--drafts", verbosity=0)
    exported = parse_file(out)
    assert exported.ok, exported.issues
    record = exported.cases[0]
    assert record.title == "王某殴打他人案" and record.rating == "problem"
    assert record.articles[0].number == 43 and record.annotations[0].quote == "王某"


def test_markdown_cases_import_from_a_folder_with_their_articles(
    tmp_path, case_index, public_order_law
):
    from tests.casebook.test_parsing import MARKDOWN_CASE

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN_CASE, encoding="utf-8")
    (folder / "README.md").write_text("# not a case\n", encoding="utf-8")
    call_command("import_cases", str(folder), verbosity=0)
    case = CasePage.objects.get(title="张某殴打他人治安管理处罚案（示例）")
    assert not case.live and case.year == 2025
    (link,) = case.case_articles.all()
    # Pinned to the version in force on the case date (the 2013 text, not the 2026 one).
    assert link.article.number == 43 and link.article.version.version_date.year == 2013
    # Re-importing updates the same draft.
    call_command("import_cases", str(folder / "a.md"), verbosity=0)
    assert CasePage.objects.filter(title=case.title).count() == 1


def test_a_folder_with_one_bad_markdown_case_imports_the_rest(tmp_path, case_index):
    from tests.casebook.test_parsing import MARKDOWN_CASE

    folder = tmp_path / "案例"
    folder.mkdir()
    (folder / "good.md").write_text(MARKDOWN_CASE, encoding="utf-8")
    (folder / "bad.md").write_text("# 某案\n\n## 处理结果\n\n处罚。\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.md:1: 缺少有内容的“## 基本案情”部分"):
        call_command("import_cases", str(folder), verbosity=0)
    assert list(CasePage.objects.values_list("title", flat=True)) == [
        "张某殴打他人治安管理处罚案（示例）"
    ]


def test_lecard_record_with_empty_charges_imports_with_a_warning(tmp_path, case_index, capsys):
    path = tmp_path / "lecard.jsonl"
    record = {"ridx": 7, "q": "被告人某某于2019年在某地盗走财物。", "crime": [], "path": "x"}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_cases", str(path))
    out = capsys.readouterr().out
    assert f"{path}:1: 罪名为空" in out
    case = CasePage.objects.get()
    assert case.title and not case.keywords.exists()
