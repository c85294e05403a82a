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


@register.simple_tag
def page_title(page):
    """A page's title for the page body: a section's translated name, or the staff-written title
    marked as user content (``data-user-content``: the English page test leaves it alone)."""
    from django.utils.html import format_html

    from core.sections import section_title

    translated = section_title(page)
    if translated is not None:
        return translated
    return format_html("<span data-user-content>{}</span>", page.title)


@register.filter
def plain_page_title(page):
    """The same, as plain text (for <title>)."""
    from core.sections import section_title

    return section_title(page) or page.title


@register.filter
def user_content(value):
    """Mark a value as user content inside a translated sentence:
    ``{% blocktranslate with q=query|user_content %}…{{ q }}…{% endblocktranslate %}``."""
    from django.utils.html import format_html

    return format_html("<span data-user-content>{}</span>", value)
