from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalOnlineConfig(AppConfig):
    name = "legal_online"
    verbose_name = _("法律在线")
    default_auto_field = "django.db.models.BigAutoField"
    # receive_escalations (法制部门负责人) is given to a person, not a role: the site
    # administrator grants it in the admin. Without anyone holding it, escalations go to
    # the superusers.
    role_permissions = {
        "legal_staff": [
            "legal_online.answer_consultation",
            "legal_online.review_answer",
            "legal_online.view_category",
            "legal_online.add_category",
            "legal_online.change_category",
        ],
        "officer": [],
    }

    def ready(self):
        from . import integrations

        integrations.connect()
