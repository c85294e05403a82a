"""Signals sent by the regulations library.

``articles_changed`` is sent after an import commits a new version of a law, with
``changes=[ArticleChange, ...]`` (each names the old article others cite, the new one or None,
and the kind ``changed`` / ``removed``). Receivers flag what cites the old article.
"""

from django.dispatch import Signal

articles_changed = Signal()
