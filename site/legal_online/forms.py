"""Forms for officers and legal staff (crispy-forms, Bootstrap 5)."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import Category, Consultation
from .services import validate_upload

_SPLIT = re.compile(r"[\n；;]+")


def button(name, label, style="primary"):
    """A submit button in one Bootstrap style (crispy's css_class would add to btn-primary)."""
    submit = Submit(name, label)
    submit.field_classes = f"btn btn-{style}"
    return submit


def resolve_article_lines(text: str):
    """Resolve citations typed one per line (or separated by ；) into version-pinned articles.

    Returns the articles in order without duplicates; raises ValidationError naming every
    line that could not be resolved.
    """
    lines = [line.strip() for line in _SPLIT.split(text or "") if line.strip()]
    if not lines:
        return []
    from laws.references import resolve_reference

    articles, errors, seen = [], [], set()
    for number, line in enumerate(lines, start=1):
        article = resolve_reference(line)
        if article is None:
            errors.append(
                _("第 %(n)s 项“%(text)s”：在法规库中找不到该条文。")
                % {"n": number, "text": line[:60]}
            )
        elif article.pk not in seen:
            seen.add(article.pk)
            articles.append(article)
    if errors:
        raise ValidationError(errors)
    return articles


class ArticleLinesField(forms.CharField):
    widget = forms.Textarea(
        attrs={
            "rows": 3,
            # Examples of what to type (citations are written in Chinese in either language).
            "placeholder": _("《中华人民共和国刑法》第一百三十三条之一\n治安管理处罚法第二十六条"),
        }
    )

    def clean(self, value):
        value = super().clean(value)
        return resolve_article_lines(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        for upload in data if isinstance(data, list | tuple) else [data]:
            if upload and getattr(upload, "size", None) == 0:
                validate_upload(upload)  # names the empty file, unlike Django's generic message
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > conf.attachment_max_count():
            raise ValidationError(_("最多上传 %(n)s 个附件。") % {"n": conf.attachment_max_count()})
        for upload in files:
            validate_upload(upload)
        return files


def _attachments_help():
    return _("可选。最多 %(n)s 个，每个不超过 %(mb)s MB；类型：%(types)s。") % {
        "n": conf.attachment_max_count(),
        "mb": conf.attachment_max_bytes() // (1024 * 1024),
        "types": gettext("、").join(conf.attachment_extensions()),
    }


class ConsultationForm(forms.ModelForm):
    related_articles = ArticleLinesField(
        label=_("相关法条"),
        required=False,
        help_text=_("可选。每行一条，例如“《刑事诉讼法》第八十二条”或“刑法第133条之一”。"),
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    class Meta:
        model = Consultation
        fields = [
            "title",
            "category",
            "description",
            "related_articles",
            "attachments",
            "show_name",
            "confidential",
        ]
        widgets = {
            "title": forms.TextInput(
                attrs={"autocomplete": "off", "data-search-before-asking": "1"}
            ),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "title": _("一句话概括您遇到的法律问题；输入时下方会显示相关法条和已有答复。"),
            "description": _("写明情况和疑问。不要填写当事人身份证号等个人信息。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)
        self.fields["category"].empty_label = None
        # The default categories (migration 0002) have English names in the catalogue;
        # categories staff add later show as written.
        self.fields["category"].label_from_instance = lambda category: gettext(category.name)
        self.fields["attachments"].help_text = _attachments_help()
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data", "id": "ask-form"}
        self.helper.add_input(Submit("submit", _("提交咨询")))

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 5:
            raise ValidationError(_("标题至少 5 个字。"))
        return title

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise ValidationError(_("问题描述至少 10 个字，请写明情况。"))
        return text


class FollowUpForm(forms.Form):
    body = forms.CharField(
        label=_("追问"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachments_help()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("提交追问")))


class StaffMessageForm(forms.Form):
    body = forms.CharField(
        label=_("内容"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(label=_("内部备注（提问人不可见）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.add_input(button("submit", _("发送"), "outline-primary"))


def models_q(prefix):
    from django.db.models import Q

    return Q(
        **{
            f"{prefix}__codename": "answer_consultation",
            f"{prefix}__content_type__app_label": "legal_online",
        }
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("答复人"), queryset=None, required=False, help_text=_("留空则按类别自动分派。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        User = get_user_model()
        self.fields["assignee"].queryset = (
            User.objects.filter(is_active=True)
            .filter(
                models_q("groups__permissions")
                | models_q("user_permissions")
                | Q(is_superuser=True)
            )
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["assignee"].label_from_instance = lambda u: u.display_name
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.add_input(Submit("submit", _("分派")))


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("答复正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
    cited_articles = ArticleLinesField(
        label=_("引用条文"),
        required=False,
        help_text=_("每行一条；引用会固定到当前有效的版本。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("提交审核")))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.add_input(button("sign_off", _("审核签发"), "success"))
        self.helper.add_input(button("send_back", _("退回修改"), "outline-danger"))

    def clean(self):
        data = super().clean()
        if "send_back" in self.data and not data.get("note", "").strip():
            raise ValidationError(_("退回修改时请写明审核意见。"))
        return data


class PublishForm(forms.Form):
    public_title = forms.CharField(label=_("公开标题"), max_length=120)
    public_question = forms.CharField(
        label=_("公开的问题"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("删去姓名、案号、地点等案件细节。"),
    )
    public_body = forms.CharField(
        label=_("公开的答复"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    details_removed = forms.BooleanField(label=_("我已删去案件细节和个人信息"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(button("submit", _("公开到执法问答"), "success"))


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("关闭原因"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.add_input(button("submit", _("关闭（不公开）"), "outline-secondary"))


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(label=_("重复于咨询编号"), min_value=1)

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template supplies the <form> with its action
        self.helper.add_input(button("submit", _("关闭为重复问题"), "outline-secondary"))

    def clean_duplicate_of(self):
        from .services import duplicate_target_ok

        pk = self.cleaned_data["duplicate_of"]
        target = Consultation.objects.filter(pk=pk).first()
        if target is None:
            raise ValidationError(_("没有编号为 %(n)s 的咨询。") % {"n": pk})
        if self.consultation and not duplicate_target_ok(self.consultation, target):
            raise ValidationError(
                _("咨询 #%(n)s 尚未公开答复，提问人无法查看，不能作为重复对象。") % {"n": pk}
            )
        return target
