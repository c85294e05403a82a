"""``wagtail.users`` with officer fields on its forms (see accounts/admin_views.py).

Kept apart from admin_views so that loading the app config imports no models."""

from wagtail.users.apps import WagtailUsersAppConfig


class AccountsUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin_views.UserViewSet"
