"""Real document shapes (issue 17 §1–2): codes in part files, amendment series, numbering gaps,
case reports among laws, item-numbered documents and documents that are one text.

The real files are in ../shared/data/laws-shapes (民法典 in eight parts, 宪法修正案（2018年）,
刑法修正案（十二）) and ../shared/data/laws (刑法修正案（十一）, a case report)."""

import io
import re
import shutil

import pytest

from django.core.management import CommandError, call_command

from casebook.models import CasePage
from laws.models import Article, LawIndexPage, LawPage, LawVersion
from laws.numerals import cn_to_int

from .test_import import _norm, _source_articles


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_laws", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def _run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_laws", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def shapes(shared_data):
    folder = shared_data / "laws-shapes"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    return folder


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- a code in part files --------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_civil_code_parts_join_into_one_law_with_one_version(shapes):
    output = _run(shapes / "民法典")
    assert "拒绝 rejected: 0" in output and "分编合并 parts joined: 1" in output
    law = LawPage.objects.get(title="中华人民共和国民法典")
    (version,) = law.versions.all()
    articles = list(version.articles.order_by("order"))
    assert len(articles) == 1260
    assert (articles[0].label, articles[-1].label) == ("第一条", "第一千二百六十条")
    # Article for article, in the order the parts continue each other.
    assert [_norm(a.text) for a in articles] == [
        _norm(t) for t in _source_texts_in_order(shapes / "民法典")
    ]
    # Each part is a top-level heading; its own chapters sit under it.
    parts_headings = [h.text for h in version.headings.filter(rank=1).order_by("order")]
    assert parts_headings == [
        "总则",
        "物权编",
        "合同编",
        "人格权编",
        "婚姻家庭编",
        "继承编",
        "侵权责任编",
        "附则",
    ]
    property_article = version.articles.get(number=205)
    assert property_article.heading_path[0] == "物权编"
    assert version.source_file.startswith("总则.md; 物权编.md; 合同编.md")
    # Importing the parts again changes nothing.
    assert "未变化版本 versions unchanged: 1" in _run(shapes / "民法典")
    assert LawVersion.objects.count() == 1


def _source_texts_in_order(folder):
    files = []
    for path in folder.glob("*.md"):
        first = next(
            line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("第")
        )
        number = re.match(r"第(.+?)条", first)[1]
        files.append((cn_to_int(number), path))
    texts = []
    for _n, path in sorted(files):
        texts.extend(_source_articles(path))
    return texts


@pytest.mark.django_db
def test_parts_recognised_by_marker_and_numbering_checked_as_a_whole(tmp_path):
    head = "# 示例分册条例\n\n2020年1月1日 示例通过\n\n<!-- PART -->\n\n<!-- INFO END -->\n\n"
    _write(tmp_path / "a", "上.md", head + "第一条 一。\n\n第二条 二。\n")
    _write(tmp_path / "a", "下.md", head + "第三条 三。\n\n第四条 四。\n")
    output = _run(tmp_path / "a", "--level", "行政法规")
    assert "拒绝 rejected: 0" in output
    law = LawPage.objects.get(title="示例分册条例")
    assert list(law.current_version.articles.values_list("number", flat=True)) == [1, 2, 3, 4]

    # A number repeated across parts refuses the law, naming the file and line; its other
    # part is not imported either, and says why.
    _write(tmp_path / "b", "上.md", head.replace("分册", "重号") + "第一条 一。\n\n第二条 二。\n")
    _write(tmp_path / "b", "下.md", head.replace("分册", "重号") + "第二条 又二。\n")
    output = _run_failing(tmp_path / "b", "--level", "行政法规")
    assert re.search(r"下\.md:9: 条号重复：第二条已在.*上\.md出现", output)
    assert "同属一部法规，因其错误未导入" in output
    assert not LawPage.objects.filter(title="示例重号条例").exists()


@pytest.mark.django_db
def test_a_part_alone_is_refused_with_a_hint(tmp_path):
    _write(
        tmp_path / "x",
        "物权编.md",
        "# 示例法典\n\n# 物权编\n\n<!-- INFO END -->\n\n第二百零五条 物。\n",
    )
    output = _run_failing(tmp_path / "x", "--level", "法律")
    assert "第一条缺失" in output and "其他分编" in output


# --- amendment series ------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_constitution_amendment_starts_where_its_series_left_off(shapes):
    output = _run(shapes / "宪法")
    assert "拒绝 rejected: 0" in output
    version = LawPage.objects.get(title="中华人民共和国宪法修正案（2018年）").current_version
    labels = list(version.articles.order_by("order").values_list("label", flat=True))
    assert labels[0] == "第三十二条" and labels[-1] == "第五十二条" and len(labels) == 21
    # 第五十二条 adds a section to the constitution: the articles it quotes are its text.
    added = version.articles.get(number=52).text
    assert "第一百二十三条 中华人民共和国各级监察委员会是国家的监察机关。" in added
    assert "第一百二十七条" in added


# --- numbering gaps --------------------------------------------------------------------------


GAP = (
    "# 示例合作社条例\n\n2020年1月1日 示例通过\n\n<!-- INFO END -->\n\n"
    "第一条 一。\n\n第二条 二。\n\n第四条 四。\n\n第五条 五。\n"
)


@pytest.mark.django_db
def test_numbering_gap_imports_with_a_warning_for_staff(tmp_path, client, legal_staff, officer):
    path = _write(tmp_path, "示例合作社条例(2020-01-01).md", GAP)
    output = _run(path, "--level", "行政法规")
    assert "拒绝 rejected: 0" in output
    assert "提示 warnings: 1" in output and "示例合作社条例(2020-01-01).md:11: 条号不连续" in output
    assert "缺少第三条" in output
    law = LawPage.objects.get(title="示例合作社条例")
    assert list(law.current_version.articles.values_list("number", flat=True)) == [1, 2, 4, 5]
    client.force_login(legal_staff)
    page = client.get(law.url).content.decode()
    assert "导入提示（仅法制人员可见）" in page and "缺少第三条" in page
    client.force_login(officer)
    page = client.get(law.url).content.decode()
    assert "缺少第三条" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("第一条 一。\n\n第一条 又一。\n", "条号重复"),
        ("第一条 一。\n\n第三条 三。\n\n第二条 二。\n", "条号顺序错误"),
        ("第一条 一。\n\n第三十条 三十。\n", "条号不连续"),
    ],
)
def test_duplicates_disorder_and_large_jumps_are_still_refused(tmp_path, body, message):
    path = _write(tmp_path, "x.md", "# 示例规定\n\n<!-- INFO END -->\n\n" + body)
    assert message in _run_failing(path, "--level", "行政法规")
    assert not LawPage.objects.exists()


# --- case reports among the laws -------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_a_case_report_is_a_case_wherever_it_sits(shared_data, tmp_path, home_page):
    (case_file,) = (shared_data / "laws" / "案例").rglob("*.md")
    folder = tmp_path / "行政法"
    folder.mkdir()
    shutil.copy(case_file, folder / case_file.name)
    # A quoted article on a line of its own does not make it a law.
    with open(folder / case_file.name, "a", encoding="utf-8") as fh:
        fh.write("\n第六条 当事人可以依法申请。\n")
    _write(folder, "示例规定.md", "# 示例规定\n\n<!-- INFO END -->\n\n第一条 一。\n")
    output = _run(folder)
    assert "案例文件 case files → casebook: 1" in output and "拒绝 rejected: 0" in output
    assert list(LawPage.objects.values_list("title", flat=True)) == ["示例规定"]
    assert CasePage.objects.filter(title=case_file.stem).exists()


# --- documents not numbered 第X条 ---------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_amendment_in_items_has_citable_items(shapes, client):
    output = _run(shapes / "刑法")
    assert "没有“第X条”的文件 documents without articles: 1" in output
    assert (
        "刑法修正案（十二）(2023-12-29).md: 中华人民共和国刑法修正案（十二）（按项 items，8 个单元）"
        in output
    )
    law = LawPage.objects.get(title="中华人民共和国刑法修正案（十二）")
    items = list(law.current_version.articles.order_by("order"))
    assert [a.label for a in items[:2]] == ["第一项", "第二项"] and len(items) == 8
    assert items[0].kind == "item" and items[0].text.startswith("在刑法第一百六十五条中增加一款")
    # Sub-items （一） stay inside their item.
    assert "“（一）将本单位的盈利业务交由自己的亲友进行经营的；" in items[1].text
    page = client.get(law.url).content.decode()
    assert "二、</a>" in page and "共 8 项" in page
    article = client.get(f"{law.url}a/2/")
    assert article.status_code == 200 and "第二项" in article.content.decode()


@pytest.mark.django_db
def test_a_document_with_neither_articles_nor_items_is_one_unit(tmp_path, client):
    path = _write(
        tmp_path,
        "示例批复.md",
        "# 最高人民法院关于示例问题的批复\n\n2020年1月1日 发布\n\n<!-- INFO END -->\n\n"
        "某某高级人民法院：\n\n你院请示收悉。经研究，批复如下：依法处理。\n\n此复。\n",
    )
    output = _run(path, "--level", "司法解释")
    assert "示例批复.md: 最高人民法院关于示例问题的批复（全文 one unit，1 个单元）" in output
    law = LawPage.objects.get()
    (unit,) = law.current_version.articles.all()
    assert (unit.kind, unit.label) == ("text", "全文")
    assert unit.paragraphs == [
        "某某高级人民法院：",
        "你院请示收悉。经研究，批复如下：依法处理。",
        "此复。",
    ]
    assert client.get(f"{law.url}a/1/").status_code == 200
    assert Article.objects.count() == 1


@pytest.mark.shared_data
@pytest.mark.django_db
def test_citations_of_items_resolve(shared_data, tmp_path):
    from laws.references import resolve_reference

    _run(shared_data / "laws" / "刑法" / "刑法修正案（十一）.md")
    _write(
        tmp_path,
        "决定.md",
        "# 全国人民代表大会常务委员会关于示例问题的决定\n\n2000年12月28日 通过\n\n<!-- INFO END -->\n\n"
        "为了示例，特作如下决定：\n\n一、下列行为构成犯罪的，依照刑法有关规定追究刑事责任：\n\n"
        "（一）示例行为；\n\n二、本决定自公布之日起施行。\n",
    )
    _run(tmp_path / "决定.md", "--level", "法律")
    item = resolve_reference("《刑法修正案（十一）》第二项")
    assert item.kind == "item" and item.text.startswith("在刑法第一百三十三条之一后增加一条")
    assert resolve_reference("《中华人民共和国刑法修正案（十一）》第四十八项").text.startswith(
        "本修正案自2021年3月1日起施行"
    )
    decision = resolve_reference("《全国人民代表大会常务委员会关于示例问题的决定》第一条")
    assert decision is not None and decision.label == "第一项"
    assert decision.paragraphs == [
        "下列行为构成犯罪的，依照刑法有关规定追究刑事责任：",
        "（一）示例行为；",
    ]
    assert LawPage.objects.get(title__endswith="决定").current_version.preamble == (
        "为了示例，特作如下决定："
    )
    assert resolve_reference("《刑法修正案（十一）》第四十九项") is None


# --- dates -------------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_criminal_law_dates_are_reconciled_with_warnings(shared_data, client, legal_staff):
    output = _run(shared_data / "laws" / "刑法")
    law = LawPage.objects.get(title="中华人民共和国刑法")
    version = law.current_version
    # The latest history line (刑法修正案（十二）) is this version's promulgation; index.csv's
    # publish (2020-12-26) and valid_from (2021-03-01) lag behind it.
    assert str(version.version_date) == str(version.promulgation_date) == "2023-12-29"
    assert version.effective_date is None
    messages = [w["message"] for w in version.import_warnings]
    assert any("2020-12-26" in m and "以文本为准" in m for m in messages)
    assert any(
        m.startswith("施行日期 2021-03-01（index.csv）早于本版本的公布日期 2023-12-29")
        for m in messages
    )
    assert all(w["file"] == "刑法.md" and w["line"] for w in version.import_warnings)
    assert "刑法.md:33: 施行日期 2021-03-01（index.csv）早于本版本的公布日期" in output
    amendment = LawPage.objects.get(title="中华人民共和国刑法修正案（十一）").current_version
    assert (str(amendment.promulgation_date), str(amendment.effective_date)) == (
        "2020-12-26",
        "2021-03-01",
    )
    client.force_login(legal_staff)
    page = client.get(law.url).content.decode()
    assert "2021-03-01" not in page.split("law-meta")[1].split("</dl>")[0]
    assert "早于本版本的公布日期" in page


def _dated(day, extra=""):
    return (
        f"# 示例施行规定\n\n{day} 示例机关通过\n\n<!-- INFO END -->\n\n"
        f"第一条 一{extra}。\n\n第二条 本规定自2027年3月1日起施行。\n"
    )


@pytest.mark.django_db
def test_status_follows_the_effective_date_without_reimport(tmp_path):
    import datetime

    from laws.choices import VersionStatus
    from laws.services import refresh_due_statuses

    _write(
        tmp_path,
        "示例施行规定(2020-01-01).md",
        _dated("2020年1月1日").replace("2027年3月1日", "2020年2月1日"),
    )
    _write(tmp_path, "示例施行规定(2026-10-01).md", _dated("2026年10月1日", "（修改）"))
    output = _run(tmp_path, "--level", "部门规章")
    assert "拒绝 rejected: 0" in output
    law = LawPage.objects.get()
    old, new = law.versions.order_by("version_date")
    assert str(new.effective_date) == "2027-03-01"
    today = datetime.date.today()
    if today < datetime.date(2027, 3, 1):
        assert (old.status, new.status) == (VersionStatus.IN_FORCE, VersionStatus.NOT_YET_EFFECTIVE)
    # The day it takes effect: 尚未生效 → 现行有效, and the old text becomes 已修改.
    assert refresh_due_statuses(today=datetime.date(2027, 3, 1)) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    law.refresh_from_db()
    assert (old.status, new.status) == (VersionStatus.AMENDED, VersionStatus.IN_FORCE)
    assert law.status == VersionStatus.IN_FORCE and str(law.effective_date) == "2027-03-01"
    assert refresh_due_statuses(today=datetime.date(2027, 3, 2)) == 0


@pytest.mark.django_db
def test_the_library_refreshes_statuses_on_its_first_read_of_the_day(tmp_path, client):
    import time_machine

    from laws.choices import VersionStatus

    _write(tmp_path, "示例施行规定(2026-10-01).md", _dated("2026年10月1日"))
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        _run(tmp_path, "--level", "部门规章")
        law = LawPage.objects.get()
        assert law.current_version.status == VersionStatus.NOT_YET_EFFECTIVE
        assert client.get(law.url).status_code == 200
    with time_machine.travel("2027-03-01 08:00 +0800", tick=False):
        response = client.get(law.url)
        assert response.status_code == 200
        law.refresh_from_db()
        assert law.versions.get().status == VersionStatus.IN_FORCE
        assert "现行有效" in response.content.decode()


# --- amendments linked to what they amend ---------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_amendment_items_link_to_the_articles_they_change_both_ways(shared_data, shapes, client):
    from laws.models import AmendmentLink

    # 刑法修正案（十二） first: its links wait for 刑法 and are resolved when it arrives.
    _run(shapes / "刑法")
    assert set(AmendmentLink.objects.values_list("base_law", flat=True)) == {None}
    _run(shared_data / "laws" / "刑法")
    criminal_law = LawPage.objects.get(title="中华人民共和国刑法")
    eleven = LawPage.objects.get(title="中华人民共和国刑法修正案（十一）")
    first = eleven.current_version.articles.get(number=1)
    (link,) = first.amends.all()
    assert (link.base_law, link.number, link.suffix, link.action) == (
        criminal_law,
        17,
        0,
        "modified",
    )
    second = eleven.current_version.articles.get(number=2).amends.get()
    assert (second.number, second.suffix, second.action) == (133, 2, "added")
    assert AmendmentLink.objects.filter(amendment__law=eleven).count() == 47
    assert not AmendmentLink.objects.filter(base_law=None).exists()

    # The base article shows the amendment in its history; the item links to the article.
    page = client.get(f"{criminal_law.url}a/17/").content.decode()
    assert "经《刑法修正案（十一）》第一项修改（2020-12-26）" in page
    assert f'href="{first.get_absolute_url()}"' in page
    item_page = client.get(first.get_absolute_url()).content.decode()
    assert f'href="{criminal_law.url}a/17/"' in item_page and "本项修改的条文" in item_page

    # Per law: every amendment and the articles each touched.
    listing = client.get(f"{criminal_law.url}amendments/")
    assert listing.status_code == 200
    groups = listing.context["groups"]
    assert [(g["law"].short_title, len(g["links"])) for g in groups] == [
        ("刑法修正案（十一）", 47),
        ("刑法修正案（十二）", 7),
    ]
    assert "第一百三十三条之二" in listing.content.decode()
    assert client.get(f"{eleven.url}amendments/").context["own_links"][0] == link


# --- finding a law among thousands (§6) ---------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.django_db
def test_sector_region_essentials_and_point_in_time(shared_data, shapes, client, officer):
    _run(shared_data / "laws" / "诉讼与非诉讼程序法")
    _run(shared_data / "laws" / "DLC")
    _run(shapes / "民法典")
    review = LawPage.objects.get(title="中华人民共和国行政复议法")
    assert review.sector == "诉讼与非诉讼程序法"
    assert LawPage.objects.get(title="中华人民共和国民法典").sector == "民法商法"
    henan = LawPage.objects.get(title__startswith="河南省城市人民警察巡察条例")
    assert (henan.region, henan.city) == ("河南省", "")
    assert LawPage.objects.get(title__startswith="北京市实施").region == "北京市"
    LawPage.objects.filter(pk=review.pk).update(essential=True)

    client.force_login(officer)
    index = LawIndexPage.objects.get()
    response = client.get(index.url)
    assert [law.pk for law in response.context["essential_laws"]] == [review.pk]
    assert ("诉讼与非诉讼程序法", 3) in response.context["facets"]["sector"]
    assert dict(response.context["facets"]["region"]) == {"北京市": 1, "河南省": 1}
    by_sector = client.get(index.url, {"sector": "民法商法"}).context["laws"]
    assert [law.short_title for law in by_sector] == ["民法典"]
    by_region = client.get(index.url, {"region": "河南省"}).context["laws"]
    assert [law.pk for law in by_region] == [henan.pk]
    assert [law.pk for law in client.get(index.url, {"essential": "1"}).context["laws"]] == [
        review.pk
    ]

    # 在某日有效: on 2020-01-01 the 2017 text of 行政复议法 was in force, the 民法典 was not yet.
    old = review.versions.order_by("version_date").first()
    response = client.get(index.url, {"on": "2020-01-01"})
    laws = {law.pk: law for law in response.context["laws"]}
    assert laws[review.pk].on_version == old
    assert not any(law.short_title == "民法典" for law in laws.values())
    assert f"{review.url}v/{old.pk}/" in response.content.decode()
    assert client.get(index.url, {"on": "not-a-date"}).status_code == 200
