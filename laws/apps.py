from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawsConfig(AppConfig):
    name = "laws"
    verbose_name = _("法规库")
    role_permissions = {
        "legal_staff": [
            "laws.view_impact",
            "laws.review_impact",
            "laws.view_articlechange",
            "laws.import_laws",
        ],
        "officer": [],
    }

    def ready(self):
        from laws import handlers, integrations, search  # noqa: F401  (receivers, search providers)

        integrations.register()
