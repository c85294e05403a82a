from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("执法质量考评")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        "legal_staff": [
            f"evaluation.{action}_{model}"
            for model in ("standard", "faultfinding", "award")
            for action in ("add", "change", "view", "delete")
        ],
    }

    def ready(self):
        from . import integrations

        integrations.register()
