"""Roles are Django groups with real permissions.

Each app says which of its permissions each role gets through ``role_permissions`` on its
``AppConfig`` (see docs/ARCHITECTURE.md). ``sync_roles`` makes each group hold exactly those
permissions after every ``migrate``, so the matrix lives in code and is tested.
"""

import logging

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    OFFICER = "officer", _("民警")
    LEGAL_STAFF = "legal_staff", _("法制员")
    UNIT_LEADER = "unit_leader", _("单位领导")
    SITE_ADMIN = "site_admin", _("系统管理员")


# Group names as stored in the database. They are Chinese because staff see them in the admin.
GROUP_NAMES = {
    Role.OFFICER: "民警",
    Role.LEGAL_STAFF: "法制员",
    Role.UNIT_LEADER: "单位领导",
    Role.SITE_ADMIN: "系统管理员",
}

# Permissions from Django/Wagtail themselves, by role.
_BUILTIN = {
    Role.LEGAL_STAFF: [
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    Role.SITE_ADMIN: [
        "wagtailadmin.access_admin",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_unit",
        "accounts.change_unit",
        "accounts.delete_unit",
        "accounts.view_unit",
        "auth.view_group",
        "auth.change_group",
    ],
}

# Page permissions legal staff get on the whole page tree (they edit laws, cases and notices).
_LEGAL_STAFF_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def role_permission_names() -> dict[str, set[str]]:
    """Every role's permissions as ``app_label.codename`` strings, collected from the apps."""
    result: dict[str, set[str]] = {role.value: set(_BUILTIN.get(role, [])) for role in Role}
    for config in apps.get_app_configs():
        for role, names in getattr(config, "role_permissions", {}).items():
            result[str(role)].update(names)
    # The site administrator can do everything legal staff and unit leaders can.
    result[Role.SITE_ADMIN.value] |= result[Role.LEGAL_STAFF.value] | result[Role.UNIT_LEADER.value]
    return result


def _lookup(name: str) -> Permission | None:
    app_label, codename = name.split(".", 1)
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .order_by("pk")
        .first()
    )


def sync_roles() -> dict[Role, Group]:
    """Create the role groups and give each exactly its declared permissions."""
    groups = {}
    for role, wanted in role_permission_names().items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
        perms = []
        for name in sorted(wanted):
            perm = _lookup(name)
            if perm is None:
                logger.warning("Role %s: permission %s does not exist (yet)", role, name)
                continue
            perms.append(perm)
        group.permissions.set(perms)
        groups[Role(role)] = group
    _sync_wagtail_object_permissions(groups)
    return groups


def _sync_wagtail_object_permissions(groups):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in (Role.LEGAL_STAFF, Role.SITE_ADMIN):
        group = groups[role]
        if root_page is not None:
            for codename in _LEGAL_STAFF_PAGE_PERMISSIONS:
                perm = _lookup(f"wagtailcore.{codename}")
                if perm:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=perm
                    )
        if root_collection is not None:
            for app_label, codename in _COLLECTION_PERMISSIONS:
                perm = _lookup(f"{app_label}.{codename}")
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )


def sync_roles_after_migrate(sender, **kwargs):
    # post_migrate fires once per app, and each app's permissions are created by its own
    # signal; only the last app's signal sees them all.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    sync_roles()
    # Wagtail's default "Editors"/"Moderators" groups are replaced by the roles above.
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


def group_for(role: Role) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])


def assign_role(user, role: Role) -> None:
    user.groups.add(group_for(role))


def has_role(user, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if role == Role.SITE_ADMIN and user.is_superuser:
        return True
    cache = getattr(user, "_role_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names_cache = cache
    return GROUP_NAMES[role] in cache


def is_legal_staff(user) -> bool:
    """法制员 or administrator: edits content, answers Legal Online, runs exams."""
    return has_role(user, Role.LEGAL_STAFF) or has_role(user, Role.SITE_ADMIN)


def is_unit_leader(user) -> bool:
    return has_role(user, Role.UNIT_LEADER)
