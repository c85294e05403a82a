from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.import_limits import with_limits


class LoginForm(AuthenticationForm):
    """Sign-in with 警号 (or username) and password. Throttling is not here but in django-axes'
    authentication backend, which every login route passes (accounts/login_throttle.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("警号或密码不正确。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("警号 / 用户名")
        self.fields["password"].label = _("密码")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("登录"), css_class="w-100"))


class CrispyPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through ``authenticate()``, so that wrong guesses count in
    the one login throttle (django-axes) like every other sign-in, and a locked account is
    refused here too: a borrowed signed-in session is no way to guess the password."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("修改密码")))

    def clean_old_password(self):
        from django.contrib.auth import authenticate

        old = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.get_username(), password=old)
        if found is None or found.pk != self.user.pk:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(
                    _("密码错误次数过多，账户已暂时锁定，请稍后再试。"), code="locked_out"
                )
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件"),
        help_text=with_limits(_("Excel (.xlsx) 或 CSV (UTF-8) 文件，列与模板一致。")),
    )
    dry_run = forms.BooleanField(label=_("仅检查，不保存"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.add_input(Submit("submit", _("导入")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("文件不能超过 5 MB。"))
        return upload
