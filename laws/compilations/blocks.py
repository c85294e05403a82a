"""The body of a compilation (汇编): sections, each an ordered list of items.

Item kinds: a whole law (整部法规), chosen articles (条文), the articles under a heading (章节, e.g.
治安管理处罚法 第三章) and a note by the legal department (法制部门按语). Each law item either
follows the law's current version (跟随现行版本) or is pinned to one version (固定版本): a pin
without a date is pinned, on save, to the version current at that moment.

Every law item is checked when the page is saved (``clean``): the version exists, every article
named is in it, the heading names exactly one heading of it. Errors go on the field concerned;
the page is not saved while any remains.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from laws.compilations import specs

FOLLOW, PIN = "follow", "pin"
VERSION_MODES = [(FOLLOW, _("跟随现行版本")), (PIN, _("固定版本"))]
NOTE_FEATURES = ["bold", "italic", "link", "ol", "ul"]


SPEC_MESSAGES = {
    "empty_articles": _("请填写条文，例如：第十条、第十二条至第十五条"),
    "too_many": _("一次最多填写 %(limit)s 处条文"),
    "not_article": _("“%(fragment)s”不是条文序号，应写作 第十条、第十二条至第十五条 或 10、12-15"),
    "bad_number": _("“%(fragment)s”中的数字无法识别"),
    "zero": _("“%(fragment)s”：条号必须大于 0"),
    "backwards": _("“%(fragment)s”：范围的终点在起点之前"),
    "empty_heading": _("请填写章节，例如：第三章"),
    "ambiguous_heading": _(
        "“%(spec)s”在该版本中有 %(count)s 处，请连同上级标题填写，例如：第三章 %(spec)s"
    ),
    "no_heading": _("该版本中没有“%(spec)s”这一章节"),
}


def _error(message) -> ValidationError:
    return ValidationError(message)


def spec_message(exc: specs.SpecError) -> str:
    """The spec error in the reader's language."""
    return str(SPEC_MESSAGES[exc.code] % exc.params) if exc.params else str(SPEC_MESSAGES[exc.code])


class LawItemBlock(blocks.StructBlock):
    """整部法规: every article of the version, with its headings."""

    law = blocks.PageChooserBlock(page_type="laws.LawPage", label=_("法规"))
    version_mode = blocks.ChoiceBlock(choices=VERSION_MODES, default=FOLLOW, label=_("版本"))
    version_date = blocks.DateBlock(
        required=False,
        label=_("固定的版本日期"),
        help_text=_("选“固定版本”时填写该版本的日期；留空则固定为保存时的现行版本。"),
    )

    class Meta:
        icon = "doc-full"
        label = _("整部法规")

    def clean(self, value):
        value = super().clean(value)
        from laws.models import LawPage

        errors: dict[str, ValidationError] = {}
        chosen = value.get("law")
        law = LawPage.objects.filter(pk=chosen.pk).first() if chosen else None
        version = None
        if law is None:
            errors["law"] = _error(_("请选择法规。"))
        else:
            versions = list(law.versions.order_by("version_date", "pk"))
            if not versions:
                errors["law"] = _error(_("该法规还没有导入文本，不能收入汇编。"))
            elif value.get("version_mode") == PIN:
                wanted = value.get("version_date")
                if wanted:
                    same_day = [v for v in versions if v.version_date == wanted]
                    if same_day:
                        version = same_day[-1]
                    else:
                        errors["version_date"] = _error(
                            _("《%(law)s》没有 %(date)s 的版本。现有版本：%(dates)s")
                            % {
                                "law": law.title,
                                "date": wanted.isoformat(),
                                "dates": "、".join(v.label for v in versions),
                            }
                        )
                else:
                    version = law.current_version
                    value["version_date"] = version.version_date
            else:
                version = law.current_version
                value["version_date"] = None
        if not errors:
            self.clean_item(value, law, version, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def clean_item(self, value, law, version, errors) -> None:
        """Checks of the item's own fields against the chosen version (subclasses)."""


class ArticlesItemBlock(LawItemBlock):
    """条文: chosen articles of one law, e.g. 第十条、第十二条至第十五条."""

    articles = blocks.CharBlock(
        label=_("条文"),
        max_length=500,
        help_text=_("例如：第十条、第十二条至第十五条、第一百三十三条之一；也可写 10、12-15。"),
    )

    class Meta:
        icon = "list-ul"
        label = _("选定条文")

    def clean_item(self, value, law, version, errors) -> None:
        try:
            ranges = specs.parse_article_spec(value.get("articles", ""))
        except specs.SpecError as exc:
            errors["articles"] = _error(spec_message(exc))
            return
        keys = list(version.articles.order_by("order").values_list("number", "suffix"))
        chosen, missing = specs.select_articles(ranges, keys)
        if missing:
            errors["articles"] = _error(
                _("《%(law)s》（%(version)s 版本）中没有：%(missing)s")
                % {"law": law.title, "version": version.label, "missing": "、".join(missing)}
            )
        elif not chosen:
            errors["articles"] = _error(_("没有选中任何条文。"))


class HeadingItemBlock(LawItemBlock):
    """章节: every article under one heading of the law, e.g. 第三章."""

    heading = blocks.CharBlock(
        label=_("章节"),
        max_length=300,
        help_text=_(
            "例如：第三章，或完整标题“第三章 违反治安管理的行为和处罚”，或“第三章 第一节”。"
        ),
    )

    class Meta:
        icon = "folder-open-inverse"
        label = _("按章节收录")

    def clean_item(self, value, law, version, errors) -> None:
        rows = [
            specs.HeadingRow(index=h.order, text=h.text, rank=h.rank, position=h.position)
            for h in version.headings.order_by("order")
        ]
        try:
            specs.match_heading(value.get("heading", ""), rows)
        except specs.SpecError as exc:
            errors["heading"] = _error(
                _("《%(law)s》（%(version)s 版本）：%(reason)s")
                % {"law": law.title, "version": version.label, "reason": spec_message(exc)}
            )


class NoteBlock(blocks.RichTextBlock):
    """法制部门按语: the legal department's note between items (cleaned on save, core.sanitising)."""

    def __init__(self, **kwargs):
        super().__init__(features=NOTE_FEATURES, label=_("法制部门按语"), icon="comment", **kwargs)


class ItemsBlock(blocks.StreamBlock):
    law = LawItemBlock()
    articles = ArticlesItemBlock()
    heading = HeadingItemBlock()
    note = NoteBlock()

    class Meta:
        label = _("内容")

    def clean(self, value):
        value = super().clean(value)
        if not any(child.block_type != "note" for child in value):
            raise StreamBlockValidationError(
                non_block_errors=[
                    _error(_("本部分还没有收录法规、条文或章节（按语不能单独成为一部分）。"))
                ]
            )
        return value


class SectionBlock(blocks.StructBlock):
    """One section (部分) of the compilation: a title and its items."""

    title = blocks.CharBlock(label=_("标题"), max_length=100)
    items = ItemsBlock()

    class Meta:
        icon = "folder-inverse"
        label = _("部分")


class CompilationBodyBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        min_num = 1
