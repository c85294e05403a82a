"""Home page panels contributed by apps: recently updated laws, answered Legal Online questions,
open exams, "my progress" and so on.

In an app's ``AppConfig.ready()``::

    from home.panels import register_home_panel
    register_home_panel(
        "open_exams", title=_("正在进行的考试"), order=30,
        template="exams/home_panel.html",
        context=lambda request: {...},   # or None to hide the panel for this viewer
    )
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: str
    order: int
    template: str
    context: Callable
    wide: bool


_panels: dict[str, HomePanel] = {}


def register_home_panel(key, *, title, order, template, context, wide=False) -> None:
    _panels[key] = HomePanel(key, title, order, template, context, wide)


def home_panels(request) -> list[dict]:
    result = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        ctx = panel.context(request)
        if ctx is None:
            continue
        result.append(
            {
                "key": panel.key,
                "title": panel.title,
                "template": panel.template,
                "ctx": ctx,
                "wide": panel.wide,
            }
        )
    return result
