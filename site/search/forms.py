from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit

from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import MAX_ID

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
        choices=[("", _("全部级别"))] + [(v, _(v)) for v in LEVEL_CHOICES],
    )
    status = forms.ChoiceField(
        label=_("时效"), required=False, choices=list(STATUS_CHOICES.items())
    )
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1949, max_value=2100)
    law = forms.CharField(
        label=_("限定法规"), required=False, max_length=500, widget=forms.HiddenInput
    )
    compilation = forms.IntegerField(
        label=_("限定法规汇编"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
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
            "compilation",
            Submit("", _("搜索"), css_class="btn-primary"),
        )


class LexiconEntryForm(forms.Form):
    """One everyday word and the legal terms it stands for (added on top of the shipped lexicon)."""

    term = forms.CharField(label=_("日常说法"), max_length=40)
    legal_terms = forms.CharField(
        label=_("法律用语"),
        max_length=400,
        help_text=_("多个用语用“|”分隔，须与法规原文一致。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    MAX_TERMS = 10

    def clean_term(self):
        from .analysis import normalize

        term = normalize(self.cleaned_data["term"]).strip()
        if not term or any(ch in term for ch in "=|#\t\n") or " " in term:
            raise forms.ValidationError(_("日常说法须是一个词，不能含空格或 = | # 等符号。"))
        return term

    def clean_legal_terms(self):
        from .analysis import normalize

        raw = normalize(self.cleaned_data["legal_terms"]).replace("｜", "|")
        terms = [t.strip() for t in raw.split("|") if t.strip()]
        if not terms:
            raise forms.ValidationError(_("请至少填写一个法律用语。"))
        if len(terms) > self.MAX_TERMS:
            raise forms.ValidationError(
                _("法律用语最多 %(n)s 个，当前 %(m)s 个。") % {"n": self.MAX_TERMS, "m": len(terms)}
            )
        for t in terms:
            if len(t) < 2 or len(t) > 40 or any(ch in t for ch in "=#\t\n"):
                raise forms.ValidationError(
                    _("“%(t)s”不可用：每个法律用语 2 至 40 个字，不能含 = 或 #。") % {"t": t[:40]}
                )
        return "|".join(dict.fromkeys(terms))
