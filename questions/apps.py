from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("题库与练习")
    role_permissions = {
        "officer": ["questions.practice_questions"],
        "unit_leader": ["questions.practice_questions"],
        "legal_staff": [
            "questions.practice_questions",
            "questions.add_question",
            "questions.change_question",
            "questions.delete_question",
            "questions.view_question",
            "questions.review_question",
            "questions.import_questions",
            "questions.add_category",
            "questions.change_category",
            "questions.delete_category",
            "questions.view_category",
            "questions.view_keychange",
            "questions.change_keychange",
        ],
    }

    def ready(self):
        from . import integrations

        integrations.connect()
