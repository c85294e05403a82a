"""Clean every rich-text value (HTML) of a model before it is stored.

At start-up (``CoreConfig.ready``) a ``pre_save`` receiver is connected to each model that has a
``RichTextField`` or a ``StreamField``; it runs ``core.richtext.clean_html`` over the field and
over every ``RichTextBlock`` inside a stream, at any depth (struct, list and stream blocks).
Whatever writes the row, an import, the admin, a shell or a demo loader, stores clean HTML.
Plain-text fields are left alone: they are escaped when rendered.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import pre_save

from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from core.richtext import clean_html


def _clean_value(block, value):
    if isinstance(block, blocks.RichTextBlock):
        return clean_html(value) if isinstance(value, str) else value
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {
            name: _clean_value(block.child_blocks[name], v) if name in block.child_blocks else v
            for name, v in value.items()
        }
    if isinstance(block, blocks.ListBlock) and isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict) and "value" in item and "type" in item:
                out.append({**item, "value": _clean_value(block.child_block, item["value"])})
            else:
                out.append(_clean_value(block.child_block, item))
        return out
    if isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        return _clean_stream(block, value)
    return value


def _clean_stream(stream_block, data: list) -> list:
    out = []
    for item in data:
        child = stream_block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
        if child is None:
            out.append(item)
            continue
        out.append({**item, "value": _clean_value(child, item.get("value"))})
    return out


def _has_rich_text(block) -> bool:
    if isinstance(block, blocks.RichTextBlock):
        return True
    if isinstance(block, blocks.StructBlock | blocks.StreamBlock):
        return any(_has_rich_text(child) for child in block.child_blocks.values())
    if isinstance(block, blocks.ListBlock):
        return _has_rich_text(block.child_block)
    return False


def rich_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, RichTextField)
        or (isinstance(f, StreamField) and _has_rich_text(f.stream_block))
    ]


def clean_rich_text_fields(instance, fields=None) -> None:
    """Clean the rich-text fields of ``instance`` in place."""
    for f in fields if fields is not None else rich_fields(type(instance)):
        value = getattr(instance, f.attname)
        if isinstance(f, RichTextField):
            if value:
                setattr(instance, f.attname, clean_html(value))
        elif value:
            data = f.stream_block.get_prep_value(value)
            cleaned = _clean_stream(f.stream_block, data)
            if cleaned != data:
                setattr(instance, f.attname, cleaned)


def connect() -> None:
    for model in apps.get_models():
        fields = rich_fields(model)
        if fields:
            pre_save.connect(
                lambda sender, instance, _fields=fields, **kw: clean_rich_text_fields(
                    instance, _fields
                ),
                sender=model,
                weak=False,
                dispatch_uid=f"core.sanitising:{model._meta.label}",
            )
