from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit

from django import forms
from django.utils.translation import gettext_lazy as _

from .querying import MAX_QUERY_LENGTH
from .selectors import KIND_LABELS, LEVEL_CHOICES, STATUS_CHOICES


class SearchForm(forms.Form):
    """The search page's filters; the API reads the same parameters (see serializers)."""

    q = forms.CharField(label=_("检索词"), required=False, max_length=MAX_QUERY_LENGTH * 4)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型"))] + list(KIND_LABELS.items())
    )
    level = forms.ChoiceField(
        label=_("效力级别"),
        required=False,
        choices=[("", _("全部级别"))] + [(v, v) for v in LEVEL_CHOICES],
    )
    status = forms.ChoiceField(
        label=_("时效"), required=False, choices=list(STATUS_CHOICES.items())
    )
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1949, max_value=2100)
    law = forms.CharField(
        label=_("限定法规"), required=False, max_length=500, widget=forms.HiddenInput
    )

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != "question"
            ]
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("例如：行政拘留 期限"),
                "autofocus": True,
                "maxlength": MAX_QUERY_LENGTH,
            }
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-12 col-lg-4"),
                Column("kind", css_class="col-6 col-md-3 col-lg-2"),
                Column("level", css_class="col-6 col-md-3 col-lg-2"),
                Column("status", css_class="col-6 col-md-3 col-lg-2"),
                Column("year", css_class="col-6 col-md-3 col-lg-2"),
            ),
            "law",
            Submit("", _("搜索"), css_class="btn-primary"),
        )
