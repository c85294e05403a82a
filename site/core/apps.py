from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共组件")

    def ready(self):
        from core import params, sanitising  # noqa: F401  (params registers <id:…>)

        sanitising.connect()
