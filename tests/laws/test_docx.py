"""The .docx download is a 公文-style document: fonts with fallbacks, 三号 body, A4 with 公文
margins, zh-CN, page numbers. Checked by opening the file with python-docx."""

import io

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from core.documents import OfficialDocument
from laws import demo
from laws.models import LawPage


def east_asian_font(element) -> str | None:
    fonts = element.find(f".//{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def sample() -> bytes:
    document = OfficialDocument(title="示例规定")
    document.title("示例规定")
    document.note("（2024年6月28日通过）")
    document.heading("第一章　总则")
    document.paragraph("为了规范执法，制定本规定。", lead="第一条")
    return document.to_bytes()


def test_page_is_a4_with_official_margins():
    section = open_docx(sample()).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)  # stored in twips
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_title_and_body_fonts_and_sizes():
    document = open_docx(sample())
    title, note, heading, article = document.paragraphs[:4]
    assert title.style.name == "公文标题"
    assert east_asian_font(title.style.element) == "方正小标宋简体"
    assert title.style.font.size == Pt(22)
    assert article.style.name == "公文正文"
    assert east_asian_font(article.style.element) == "仿宋_GB2312"
    assert article.style.font.size == Pt(16)  # 三号
    assert article.style.paragraph_format.first_line_indent == Pt(32)
    assert east_asian_font(article.runs[0]._r) == "黑体"  # 第一条
    assert east_asian_font(heading.style.element) == "黑体"
    normal = document.styles["Normal"]
    assert east_asian_font(normal.element) == "仿宋_GB2312" and normal.font.size == Pt(16)
    # No theme font left anywhere that would override the names.
    assert "Theme=" not in document.styles.element.xml.replace("w:themeColor", "")


def test_fonts_table_names_the_fallbacks():
    document = open_docx(sample())
    table = etree.fromstring(document.part.part_related_by(RT.FONT_TABLE).blob)
    alternatives = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in table.findall(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    assert alternatives["方正小标宋简体"] == "宋体" and alternatives["宋体"] == "SimSun"
    assert alternatives["仿宋_GB2312"] == "仿宋" and alternatives["仿宋"] == "FangSong"


def test_language_and_page_numbers():
    document = open_docx(sample())
    assert document.core_properties.language == "zh-CN"
    lang = document.styles.element.find(f".//{qn('w:docDefaults')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer


@pytest.mark.django_db
def test_the_law_download_uses_the_official_style(client):
    demo.load(stdout=io.StringIO())
    law = LawPage.objects.get(title=demo.FIELD_RULES_TITLE)
    response = client.get(f"{law.url}docx/")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = open_docx(response.content)
    paragraphs = document.paragraphs
    assert paragraphs[0].text == law.title and paragraphs[0].style.name == "公文标题"
    articles = [p for p in paragraphs if p.style.name == "公文正文" and p.text.startswith("第")]
    assert articles and articles[0].runs[0].text == "第一条"
    assert any(p.style.name == "公文一级标题" and "第一章" in p.text for p in paragraphs)
    assert "Calibri" not in document.styles.element.xml
