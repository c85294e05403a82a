from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "questions.exams"
    label = "exams"
    verbose_name = _("考试与成绩")
    default_auto_field = "django.db.models.BigAutoField"

    # Officers need no extra permission to sit an exam: eligibility is per exam (units/officers).
    role_permissions = {
        "legal_staff": [
            "exams.manage_exam",
            "exams.view_exam_results",
            "exams.add_exam",
            "exams.change_exam",
            "exams.view_exam",
            "exams.delete_exam",
        ],
        "unit_leader": ["exams.view_exam_results"],
        "officer": [],
    }

    def ready(self):
        from accounts.records import register_record_section, register_timeline
        from questions.signals import question_key_changed

        from . import receivers, selectors

        question_key_changed.connect(
            receivers.on_question_key_changed, dispatch_uid="exams_key_changed"
        )
        from django.db.models.signals import post_delete, post_save

        from .models import Allowance, Exam

        for model in (Exam, Allowance):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.on_exam_window_changed,
                    sender=model,
                    dispatch_uid=f"exams_window_changed_{model.__name__}_{signal is post_save}",
                )
        register_record_section(
            "exams",
            title=_("考试成绩"),
            order=20,
            template="exams/record_section.html",
            context=selectors.record_section_context,
        )
        register_timeline("exams", selectors.timeline_events)
        from home.panels import register_home_panel

        register_home_panel(
            "open_exams",
            title=_("正在进行的考试"),
            order=25,
            template="exams/home_panel.html",
            context=selectors.home_panel_context,
        )
