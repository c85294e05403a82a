"""Signals the question bank sends.

``question_key_changed(sender=Question, question, changed, key_change)`` is sent after the
transaction that changed an answer key commits, only when the question had already been
answered. ``question`` is the top-level question (the case for a sub-question), ``changed``
the row whose key changed and ``key_change`` the ``KeyChange`` history row. The exams app
listens to offer or run a regrade.
"""

from django.dispatch import Signal

question_key_changed = Signal()
