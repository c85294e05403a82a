"""Blocks of the legal department's commentary (评析, 以案释法)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class KeyPointBlock(blocks.StructBlock):
    """评析要点: a short point with an explanation."""

    title = blocks.CharBlock(label=_("要点"))
    text = blocks.TextBlock(label=_("说明"), required=False)

    class Meta:
        icon = "tick-inverse"
        label = _("评析要点")
        template = "casebook/blocks/point_block.html"


class CommentaryBlock(blocks.StreamBlock):
    """The commentary stream. Type names match the export format (fazhi-case/1)."""

    heading = blocks.CharBlock(
        icon="title", label=_("小标题"), template="components/streamfield/blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        icon="pilcrow", label=_("正文"), features=["bold", "italic", "link", "ol", "ul"]
    )
    point = KeyPointBlock()
    quote = blocks.BlockQuoteBlock(label=_("引文"))
