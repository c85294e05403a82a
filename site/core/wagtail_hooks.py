from wagtail import hooks

from .admin_todo import TodoPanel


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    panels.append(TodoPanel())
