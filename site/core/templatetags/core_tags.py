from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def clean_richtext(value):
    """Wagtail's ``|richtext`` over HTML cleaned by ``core.richtext.clean_html``.

    For rich text (a RichTextField, a RichTextBlock's value) that may predate cleaning on save:
    imported rows stored before it, or anything written to the database directly."""
    from wagtail.rich_text import RichText
    from wagtail.templatetags.wagtailcore_tags import richtext

    from core.richtext import clean_html

    source = value.source if isinstance(value, RichText) else value
    return richtext(clean_html(source or ""))
