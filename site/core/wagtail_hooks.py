from wagtail import hooks

from .admin_todo import TodoPanel


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    panels.append(TodoPanel())


@hooks.register("insert_global_admin_js")
def admin_i18n_js():
    """Chinese for admin strings that Wagtail's bundled widgets write in English (a static file:
    no inline script, for the content security policy)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}"></script>', static("js/admin-i18n.js"))
