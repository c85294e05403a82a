"""The legal staff's to-do list on the Wagtail admin dashboard (待办事项).

Each app contributes counts of work waiting for the signed-in user, from its ``wagtail_hooks``::

    from core.admin_todo import TodoItem, register_todo

    def my_items(request):
        yield TodoItem(_("待审核题目"), count, url, urgent=False)

    register_todo("questions", order=20, items=my_items)

Items with a count of zero are left out; the panel is hidden when nothing is waiting.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    urgent: bool = False


_sources: dict[str, tuple[int, Callable[[object], Iterable[TodoItem]]]] = {}


def register_todo(key: str, *, order: int, items: Callable[[object], Iterable[TodoItem]]) -> None:
    _sources[key] = (order, items)


def todo_items(request) -> list[TodoItem]:
    result = []
    for _order, source in sorted(_sources.values(), key=lambda entry: entry[0]):
        result.extend(item for item in source(request) if item.count)
    return result


class TodoPanel(Component):
    name = "fazhi_todo"
    template_name = "core/admin_todo_panel.html"
    order = 50  # above Wagtail's own panels (moderation 210+, recent edits 250)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["items"] = todo_items(parent_context["request"])
        return context
