import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Processes that serve requests (and so should pay the segmenter's start-up before the first
# search, in the gunicorn master with --preload so workers share it copy-on-write).
_SERVING_COMMANDS = {"runserver", "gunicorn", "uwsgi"}


def _is_serving() -> bool:
    prog = sys.argv[0].rsplit("/", 1)[-1] if sys.argv else ""
    return (
        prog in _SERVING_COMMANDS
        or (len(sys.argv) > 1 and sys.argv[1] in _SERVING_COMMANDS)
        or "gunicorn" in prog
    )


class SearchConfig(AppConfig):
    name = "search"
    label = "sitesearch"
    verbose_name = _("站内搜索")

    def ready(self):
        from django.conf import settings

        from . import analysis

        # rjieba by default (20× faster than jieba, same dictionary; see search/README.md);
        # FAZHI_SEGMENTER="jieba" selects the original. jieba's cache goes to JIEBA_CACHE_DIR,
        # never a shared /tmp. Never jieba.enable_paddle(): it pip-installs at run time.
        analysis.configure(
            name=getattr(settings, "FAZHI_SEGMENTER", None) or None,
            cache_dir=getattr(settings, "JIEBA_CACHE_DIR", None),
        )
        if _is_serving():
            analysis.segmenter()
