from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与单位")
    role_permissions = {
        "unit_leader": ["accounts.view_unit_records"],
        "legal_staff": ["accounts.view_unit_records", "accounts.import_roster"],
    }

    def ready(self):
        from . import roles

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
