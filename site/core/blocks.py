from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("提示")), ("warning", _("注意")), ("danger", _("警示"))],
        default="info",
        label=_("类型"),
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link"], label=_("内容"))

    class Meta:
        icon = "warning"
        label = _("提示框")
        template = "components/streamfield/blocks/callout_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    """The body of ordinary pages: headings, text, images, quotes, attachments."""

    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        label=_("小标题"),
        template="components/streamfield/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(icon="pilcrow", label=_("正文"))
    image = ImageChooserBlock(
        label=_("图片"), template="components/streamfield/blocks/image_block.html"
    )
    quote = blocks.BlockQuoteBlock(label=_("引文"))
    callout = CalloutBlock()
    document = DocumentChooserBlock(
        label=_("附件"), template="components/streamfield/blocks/document_block.html"
    )
