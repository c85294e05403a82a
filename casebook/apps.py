from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = _("以案释法")
    # Legal staff also get Wagtail page permissions on the whole tree (accounts.roles);
    # officers read published case pages and need no model permission.
    role_permissions = {
        "legal_staff": [
            "casebook.annotate_case",
            "casebook.review_case",
            "casebook.import_cases",
            "casebook.view_annotation",
            "casebook.change_annotation",
            "casebook.delete_annotation",
        ],
        "officer": [],
    }

    def ready(self):
        from casebook import integrations

        integrations.connect()
