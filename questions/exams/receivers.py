"""Signal receivers of the exams app."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .services import flag_exams_for_regrade


def on_question_key_changed(sender, question, changed=None, key_change=None, **kwargs):
    """A corrected key: exams that used the question are marked for a staff regrade."""
    old = getattr(key_change, "old_answer", "?")
    new = getattr(key_change, "new_answer", "?")
    note = _("%(time)s 第 %(id)s 号题答案由 %(old)s 改为 %(new)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "id": question.pk,
        "old": old,
        "new": new,
    }
    flag_exams_for_regrade(question_id=question.pk, note=note)


def on_exam_window_changed(sender, **kwargs):
    """An exam or an allowance was saved: which questions are withheld may have changed (this
    worker recomputes at once; the others within ``exposure.CACHE_SECONDS``)."""
    from . import exposure

    exposure.clear_cache()
