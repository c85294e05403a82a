"""Word documents (.docx) in the style of a government document (公文, after GB/T 9704).

Every .docx the site writes goes through ``OfficialDocument``, so they all look alike:

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
- title in 方正小标宋简体 at 二号 (22 pt), centred; body in 仿宋_GB2312 at 三号 (16 pt) with a
  two-character first-line indent and a fixed 28 pt line; chapter headings in 黑体, sections in
  楷体_GB2312, article numbers (第X条) in 黑体; Latin letters and digits in Times New Roman;
- the fonts table names a fallback for each Chinese font (``w:altName``): Word uses 宋体 when
  方正小标宋简体 is missing, 仿宋 when 仿宋_GB2312 is missing (Windows 10 and later ship 仿宋,
  not 仿宋_GB2312), and so on;
- language zh-CN; page numbers "— N —" centred in the footer.

Built on python-docx. Styles are named paragraph styles (公文标题, 公文正文, …) so that someone
editing the file in Word or WPS finds them in the style list. No Django imports except in
``docx_response``.
"""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
# Font -> the font Word uses when it is not installed (fonts table w:altName), and the
# English name each Chinese font is also known by.
FALLBACKS = {
    TITLE_FONT: "宋体",
    "宋体": "SimSun",
    BODY_FONT: "仿宋",
    "仿宋": "FangSong",
    HEADING_FONT: "SimHei",
    SUBHEADING_FONT: "楷体",
    "楷体": "KaiTi",
}
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
FOOTER_SIZE = Pt(14)  # 四号
LINE = Pt(28)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANGUAGE = "zh-CN"

STYLE_TITLE = "公文标题"
STYLE_BODY = "公文正文"
STYLE_NOTE = "公文说明"
STYLE_HEADING = "公文一级标题"
STYLE_SUBHEADING = "公文二级标题"


def _rpr(owner):
    """The run properties (w:rPr) of a run, a style or the document defaults, created if absent."""
    if hasattr(owner, "get_or_add_rPr"):
        return owner.get_or_add_rPr()
    rpr = owner.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        owner.insert(0, rpr)
    return rpr


def _set_fonts(rpr_owner, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts for every script (no theme fonts, which would win over names)."""
    rpr = _rpr(rpr_owner)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_language(rpr_owner) -> None:
    rpr = _rpr(rpr_owner)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


class OfficialDocument:
    """A 公文-style document: ``title()``, ``heading()``, ``paragraph()``, then ``to_bytes()``."""

    def __init__(self, *, title: str = "", author: str = "") -> None:
        self.document = docx.Document()
        self._page_setup()
        self._defaults()
        self._styles()
        self._font_table()
        self._page_numbers()
        core = self.document.core_properties
        core.language = LANGUAGE
        core.title = title
        core.author = author or "法制在线"

    # --- building -------------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.document.add_paragraph(text, style=STYLE_TITLE)

    def note(self, text: str) -> None:
        """A centred line under the title (adoption history, version, status)."""
        self.document.add_paragraph(text, style=STYLE_NOTE)

    def heading(self, text: str, *, level: int = 1) -> None:
        self.document.add_paragraph(text, style=STYLE_HEADING if level <= 1 else STYLE_SUBHEADING)

    def paragraph(self, text: str, *, lead: str = "") -> None:
        """A body paragraph; ``lead`` (e.g. 第一条) is set in 黑体 before the text."""
        paragraph = self.document.add_paragraph(style=STYLE_BODY)
        if lead:
            run = paragraph.add_run(lead)
            _set_fonts(run._r, HEADING_FONT)
            paragraph.add_run("\u3000" + text if text else "")
        else:
            paragraph.add_run(text)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # --- setup ----------------------------------------------------------------------------

    def _page_setup(self) -> None:
        for section in self.document.sections:
            section.start_type = WD_SECTION.NEW_PAGE
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin = Mm(MARGINS_MM["top"])
            section.bottom_margin = Mm(MARGINS_MM["bottom"])
            section.left_margin = Mm(MARGINS_MM["left"])
            section.right_margin = Mm(MARGINS_MM["right"])
            section.footer_distance = Mm(28)  # page number about 7 mm below the text block

    def _defaults(self) -> None:
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        _set_fonts(defaults, BODY_FONT)
        _set_language(defaults)
        # The template's other styles (Heading 1, Title, …) name theme fonts (Calibri, Cambria);
        # someone applying them in Word gets the document's fonts instead.
        for fonts in styles.iter(qn("w:rFonts")):
            for attribute in list(fonts.attrib):
                if attribute.lower().endswith("theme"):
                    del fonts.attrib[attribute]
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attribute), fonts.get(qn(attribute)) or LATIN_FONT)
            fonts.set(qn("w:eastAsia"), fonts.get(qn("w:eastAsia")) or BODY_FONT)
        normal = self.document.styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_fonts(normal.element, BODY_FONT)
        _set_language(normal.element)
        spacing = normal.paragraph_format
        spacing.space_before = spacing.space_after = Pt(0)
        spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacing.line_spacing = LINE

    def _styles(self) -> None:
        styles = self.document.styles

        def add(name, *, font, size, align=None, indent=None, bold=False):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
            style.font.size = size
            style.font.bold = bold
            _set_fonts(style.element, font)
            fmt = style.paragraph_format
            if align is not None:
                fmt.alignment = align
            if indent is not None:
                fmt.first_line_indent = indent
            return style

        title = add(STYLE_TITLE, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.line_spacing = Pt(36)
        title.paragraph_format.space_after = Pt(28)
        add(STYLE_NOTE, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        heading = add(
            STYLE_HEADING, font=HEADING_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(14)
        sub = add(
            STYLE_SUBHEADING, font=SUBHEADING_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        sub.paragraph_format.keep_with_next = True
        body = add(STYLE_BODY, font=BODY_FONT, size=BODY_SIZE, indent=Pt(32))  # two characters
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _font_table(self) -> None:
        part = self.document.part.part_related_by(RT.FONT_TABLE)
        root = etree.fromstring(part.blob)
        have = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
        for name, alternative in FALLBACKS.items():
            if name in have:
                continue
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            alt = etree.SubElement(font, qn("w:altName"))
            alt.set(qn("w:val"), alternative)
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "86")  # GB2312
            family = etree.SubElement(font, qn("w:family"))
            family.set(qn("w:val"), "modern" if "仿宋" in name or "Fang" in name else "auto")
            pitch = etree.SubElement(font, qn("w:pitch"))
            pitch.set(qn("w:val"), "fixed" if family.get(qn("w:val")) == "modern" else "variable")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        """'— N —' centred in the footer, 四号 宋体 (a PAGE field, so Word counts the pages)."""
        footer = self.document.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

        def run(text="", element=None):
            run = paragraph.add_run(text)
            run.font.size = FOOTER_SIZE
            _set_fonts(run._r, "宋体")
            if element is not None:
                run._r.append(element)

        def field_char(kind):
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            return element

        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        run("— ")
        run(element=field_char("begin"))
        run(element=instruction)
        run(element=field_char("separate"))
        run("1")
        run(element=field_char("end"))
        run(" —")


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(data: bytes, filename: str):
    """An attachment response for a .docx, with the (Chinese) file name in RFC 6266 form."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"document.docx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
