from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompilationsConfig(AppConfig):
    """法律法规汇编: compilations built by legal staff (Wagtail pages, see ``models``)."""

    name = "laws.compilations"
    label = "compilations"  # the tables, migrations and page types keep their names
    verbose_name = _("法规汇编")
    default_auto_field = "django.db.models.BigAutoField"
    # Legal staff edit compilations as pages, under the page permissions that accounts.roles
    # gives them on the root page: no permission of its own.

    def ready(self):
        from laws.compilations import integrations

        integrations.register()
