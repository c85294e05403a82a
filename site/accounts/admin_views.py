"""Wagtail admin for officers and units.

Wagtail's user screens know nothing of 警号, unit or qualification, so the users app is swapped
for one whose viewset uses forms with those fields (``AccountsUsersAppConfig`` in
INSTALLED_APPS, defined in ``accounts.wagtail_users``). Units are a treebeard tree: new units are added
under a parent, and changing the parent moves the subtree.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import Unit

OFFICER_FIELDS = ["police_number", "full_name", "unit", "position", "qualification_level"]


class _OptionalNamesMixin:
    """Chinese names are not split into first and last names, and many officers have no
    intranet email: 姓名 (full_name) is the name, and email is optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "first_name", "last_name"):
            if name in self.fields:
                self.fields[name].required = False


class OfficerCreationForm(_OptionalNamesMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(OFFICER_FIELDS)


class OfficerEditForm(_OptionalNamesMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(OFFICER_FIELDS) | {"must_change_password"}


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/wagtailusers/"

    def get_form_class(self, for_update=False):
        return OfficerEditForm if for_update else OfficerCreationForm


class UnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("上级单位"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        help_text=_("留空表示顶级单位（如市公安局）。"),
    )

    class Meta:
        model = Unit
        fields = ["name", "code", "kind"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].queryset = Unit.objects.exclude(
                path__startswith=self.instance.path
            ).order_by("path")

    def save(self, commit=True):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if unit.pk is None:
            return parent.add_child(instance=unit) if parent else Unit.add_root(instance=unit)
        unit.save()
        current = unit.get_parent()
        if parent != current:
            if parent is None:
                unit.move(Unit.get_first_root_node(), "sorted-sibling")
            else:
                unit.move(parent, "sorted-child")
            unit.refresh_from_db()
        return unit


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("单位")
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["full_name", "code", "kind"]
    ordering = ["path"]
    search_fields = ["name", "code"]
    list_filter = ["kind"]
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return UnitForm
