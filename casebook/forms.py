from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout

from django import forms
from django.utils.translation import gettext_lazy as _

from casebook.choices import AnnotationKind, TextField


class AnnotationForm(forms.Form):
    """批注: the passage comes from the reader's selection (filled in by casebook/annotate.js)."""

    field = forms.ChoiceField(choices=TextField.choices, widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(widget=forms.HiddenInput, strip=False)
    kind = forms.ChoiceField(
        label=_("类型"), choices=AnnotationKind.choices, initial=AnnotationKind.NOTE
    )
    note = forms.CharField(
        label=_("批注内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    citation = forms.CharField(
        label=_("关联条文"),
        required=False,
        max_length=100,
        help_text=_("例如：《刑法》第一百三十三条之一"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "field", "start", "end", "quote", Field("kind"), Field("note"), Field("citation")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            raise forms.ValidationError(_("请先在案情文字中选择一段文字。"))
        return data


class PlaceForm(forms.Form):
    """Put a flagged annotation on a newly selected passage."""

    field = forms.ChoiceField(choices=TextField.choices)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    quote = forms.CharField(strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
