"""import_laws through the real stack: the whole shared set, re-import, versions, bad files."""

import io
import re
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

from casebook.models import CasePage
from laws.choices import VersionStatus
from laws.models import Article, ArticleChange, LawPage, LawVersion

# An article line in the source: "第X条 " / "第X条之一 " (ASCII or full-width space), the
# source glitch "第X 条", or a line that is only "第X条". Independent of the parser's regex.
SOURCE_ARTICLE = re.compile(
    r"^第[零〇一二三四五六七八九十百千0-9]+(?:条(?:之[一二三四五六七八九十]+)?(?:[ \u3000]|$)| 条)"
)


def _norm(text):
    return "".join(text.split())


def _source_articles(path: Path):
    """(first line number, normalised text) of every article in a Markdown file, read naively."""
    articles = []
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if SOURCE_ARTICLE.match(stripped):
            body = re.sub(r"^第[^条]+?\s*条(?:之[一二三四五六七八九十]+)?", "", stripped, count=1)
            current = [body]
            articles.append(current)
        elif stripped.startswith("#"):
            current = None
        elif stripped and current is not None and stripped != "<!-- INFO END -->":
            current.append(stripped)
    return [_norm("".join(a)) for a in articles]


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_laws", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def laws_dir(shared_data):
    return shared_data / "laws"


@pytest.mark.shared_data
@pytest.mark.django_db
def test_whole_shared_set_imports_exactly(laws_dir):
    output = _run(laws_dir)
    files = sorted(p for p in laws_dir.rglob("*.md") if p.name != "README.md")
    assert len(files) == 47
    assert "拒绝 rejected: 0" in output
    # Every regulation becomes a law; the one case file (案例) goes to the casebook as a draft.
    assert "案例文件 case files → casebook: 1" in output and "跳过 skipped: 0" in output
    for path in files:
        rel = str(path.relative_to(laws_dir))
        expected = _source_articles(path)
        if rel.startswith("案例/"):
            assert not LawVersion.objects.filter(source_file=rel).exists()
            case = CasePage.objects.get(title=path.stem)
            assert not case.live and case.kind == "administrative"
            assert (
                case.facts.startswith("安徽省怀宁县国土资源局") and "二审法院判决" in case.handling
            )
            continue
        version = LawVersion.objects.get(source_file=rel)
        got = [_norm(a.text) for a in version.articles.filter(kind="article").order_by("order")]
        assert len(got) == len(expected), rel
        assert got == expected, rel
    assert Article.objects.filter(kind="article").count() == sum(
        len(_source_articles(p)) for p in files
    )
    # The one document written in items (一、二、…) has citable items instead of no units.
    items = Article.objects.filter(kind="item")
    assert {a.law.short_title for a in items} == {"刑法修正案（十一）"}
    assert items.count() == 48
    assert "没有“第X条”的文件 documents without articles: 1" in output


@pytest.mark.shared_data
@pytest.mark.django_db
def test_second_import_changes_nothing(laws_dir):
    _run(laws_dir)
    counts = (
        LawPage.objects.count(),
        LawVersion.objects.count(),
        Article.objects.count(),
        ArticleChange.objects.count(),
    )
    output = _run(laws_dir)
    assert "新建版本 versions created:    0" in output
    assert "未变化版本 versions unchanged: 46" in output
    assert (
        LawPage.objects.count(),
        LawVersion.objects.count(),
        Article.objects.count(),
        ArticleChange.objects.count(),
    ) == counts


@pytest.mark.shared_data
@pytest.mark.django_db
def test_administrative_review_law_has_two_versions(laws_dir, client):
    _run(laws_dir / "诉讼与非诉讼程序法")
    law = LawPage.objects.get(title="中华人民共和国行政复议法")
    old, new = law.versions.order_by("version_date")
    assert (old.version_date.year, old.status) == (2017, VersionStatus.AMENDED)
    assert (new.version_date.year, new.status) == (2023, VersionStatus.IN_FORCE)
    assert law.current_version == new
    assert (old.articles.count(), new.articles.count()) == (43, 90)
    # The changes were recorded for the impact list, pinned to the 2017 rows.
    changes = ArticleChange.objects.filter(law=law)
    assert changes.exists() and all(c.old_article.version_id == old.pk for c in changes)
    response = client.get(f"{law.url}compare/?a={old.pk}&b={new.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "diff-changed" in html
    assert Article.objects.get(version=new, number=1).text[:20] in html


@pytest.mark.shared_data
@pytest.mark.django_db
def test_dry_run_saves_nothing(laws_dir):
    output = _run(laws_dir / "行政法", "--dry-run")
    assert "dry run" in output
    assert LawPage.objects.count() == 0


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


GOOD = "# 示例治安规定\n\n2020年1月1日 示例通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 一。\n\n第二条 二。\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.md", b"", "empty.md:1: 文件为空 (empty file)"),
        ("notitle.md", "第一条 没有标题。\n", "notitle.md:1: 缺少标题"),
        (
            "jump.md",
            "# 示例规定\n\n<!-- INFO END -->\n\n第一条 一。\n\n第九条 九。\n",
            "jump.md:7: 条号不连续",
        ),
        (
            "start.md",
            "# 示例规定\n\n<!-- INFO END -->\n\n第三条 三。\n",
            "start.md:5: 第一条缺失",
        ),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 20, "binary.txt:1: 不是文本文件"),
    ],
)
def test_malformed_file_is_rejected_with_path_and_line_and_saves_nothing(
    tmp_path, name, data, message
):
    bad = _write(tmp_path, name, data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 个文件未能导入"):
        call_command("import_laws", str(bad), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()
    assert LawPage.objects.count() == 0 and Article.objects.count() == 0


@pytest.mark.django_db
def test_bad_file_does_not_stop_good_ones(tmp_path):
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, "bad.md", "# 坏\n\n<!-- INFO END -->\n\n第一条 一。\n\n第一条 重复。\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_laws", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "bad.md:7: 条号重复" in err.getvalue()
    assert list(LawPage.objects.values_list("title", flat=True)) == ["示例治安规定"]


@pytest.mark.django_db
def test_changed_text_becomes_new_version_and_records_changes(tmp_path):
    first = _write(tmp_path, "示例治安规定(2020-01-01).md", GOOD)
    _run(first, "--level", "规范性文件")
    second = _write(
        tmp_path,
        "示例治安规定(2022-01-01).md",
        GOOD.replace("第二条 二。", "第二条 二，已修改。").replace(
            "2020年1月1日 示例通过", "2020年1月1日 示例通过\n\n2022年1月1日 示例修正"
        ),
    )
    output = _run(second, "--level", "规范性文件")
    assert "新版本 new version" in output
    law = LawPage.objects.get()
    old, new = law.versions.order_by("version_date")
    assert (old.status, new.status) == (VersionStatus.AMENDED, VersionStatus.IN_FORCE)
    change = ArticleChange.objects.get()
    assert (
        change.old_article.version,
        change.old_article.number,
        change.new_article.version,
        change.kind,
    ) == (old, 2, new, "changed")
    assert change.old_article.current() == change.new_article
    # Importing either file again changes nothing.
    assert "未变化版本 versions unchanged: 2" in _run(tmp_path, "--level", "规范性文件")


@pytest.mark.django_db
def test_plain_text_and_docx_files(tmp_path):
    import docx

    _write(
        tmp_path,
        "a.txt",
        "示例盘问规定\n\n（2004年7月12日公安部令第75号发布）\n\n第一章　总　　则\n\n第一条　为了规范盘问，制定本规定。\n\n第二条　本规定适用于继续盘问。\n",
    )
    document = docx.Document()
    for line in [
        "示例执勤规范",
        "第一条 为了规范执勤，制定本规范。",
        "第二条 执勤应当着制式服装。",
        "（一）佩戴警号；",
    ]:
        document.add_paragraph(line)
    document.save(tmp_path / "b.docx")
    _run(tmp_path, "--level", "部门规章")
    a = LawPage.objects.get(title="示例盘问规定").current_version
    b = LawPage.objects.get(title="示例执勤规范").current_version
    assert [x.text for x in a.articles.all()] == [
        "为了规范盘问，制定本规定。",
        "本规定适用于继续盘问。",
    ]
    assert a.promulgation_date.isoformat() == "2004-07-12"
    assert b.source_format == "docx"
    assert b.articles.get(number=2).text == "执勤应当着制式服装。\n（一）佩戴警号；"


@pytest.mark.django_db
def test_broken_docx_is_rejected(tmp_path):
    _write(tmp_path, "broken.docx", b"PK\x03\x04 not really a zip")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_laws", str(tmp_path / "broken.docx"), stdout=io.StringIO(), stderr=err)
    assert "broken.docx:1: 无法读取 Word 文件" in err.getvalue()
