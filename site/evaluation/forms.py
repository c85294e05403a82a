from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit

from .models import EvaluatedCase, PeriodKind, Standard


class CaseListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("案件清单"),
        help_text=_(
            "执法办案系统导出的 .xlsx 或 UTF-8 .csv 文件，第一行为列名：案件编号、案件类别（刑事/行政）、"
            "案由、办案单位代码、主办民警警号、协办民警警号、受案日期、立案日期、结案日期。"
            "最多 20000 行；有错误的行全部列出，且不保存任何数据。"
        ),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("上传")))


class CaseForm(forms.ModelForm):
    class Meta:
        model = EvaluatedCase
        fields = [
            "case_number",
            "category",
            "cause",
            "unit",
            "lead_officer",
            "assisting_officers",
            "accepted_on",
            "filed_on",
            "closed_on",
        ]
        widgets = {
            "accepted_on": forms.DateInput(attrs={"type": "date"}),
            "filed_on": forms.DateInput(attrs={"type": "date"}),
            "closed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        officers = User.objects.officers().order_by("police_number")
        self.fields["lead_officer"].queryset = officers
        self.fields["assisting_officers"].queryset = officers
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("保存")))


class EvaluateForm(forms.Form):
    """One checkbox per item of the standard, with a note and an optional article citation."""

    summary = forms.CharField(
        label=_("总体评价"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evaluated_on = forms.DateField(
        label=_("考评日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args, standard: Standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.items = list(standard.items.all())
        self.fields["evaluated_on"].initial = timezone.localdate()
        self.fields["due_on"].initial = timezone.localdate() + timezone.timedelta(days=15)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(label=str(item), required=False)
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=2000
            )
            self.fields[f"article_{item.pk}"] = forms.CharField(
                label=_("适用错误的条文"),
                required=False,
                max_length=200,
                help_text=_("如：《治安管理处罚法》第十九条"),
            )
            self.fields[f"demand_{item.pk}"] = forms.CharField(
                label=_("整改意见"), required=False, max_length=2000
            )

    def item_rows(self):
        for item in self.items:
            yield (
                item,
                self[f"item_{item.pk}"],
                self[f"note_{item.pk}"],
                self[f"article_{item.pk}"],
                self[f"demand_{item.pk}"],
            )

    def clean(self):
        from laws.references import resolve_reference

        data = super().clean()
        self.problems = []
        for item in self.items:
            if not data.get(f"item_{item.pk}"):
                continue
            citation = (data.get(f"article_{item.pk}") or "").strip()
            article = None
            if citation:
                article = resolve_reference(citation, on=data.get("evaluated_on"))
                if article is None:
                    self.add_error(
                        f"article_{item.pk}",
                        _("法规库中找不到“%(c)s”，请检查法规名称和条号。") % {"c": citation},
                    )
            self.problems.append((item, data.get(f"note_{item.pk}") or "", article))
            if not (data.get(f"demand_{item.pk}") or "").strip():
                self.add_error(f"demand_{item.pk}", _("发现的问题须提出整改意见。"))
            elif not data.get("due_on"):
                self.add_error("due_on", _("请填写整改期限。"))
        return data


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReviewForm(forms.Form):
    accept = forms.BooleanField(required=False)
    note = forms.CharField(label=_("验收意见"), required=False, max_length=2000)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PeriodKind.choices)
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.ModelChoiceField(label=_("考评范围"), queryset=Unit.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("计算")))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data


class AdjustForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.all())
    delta = forms.DecimalField(
        label=_("调整分值"), max_digits=6, decimal_places=2, min_value=-100, max_value=100
    )
    reason = forms.CharField(
        label=_("调整原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    number = forms.CharField(label=_("文号"), max_length=60, required=False)
    intro = forms.CharField(
        label=_("导语"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problems = forms.CharField(
        label=_("典型问题"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    demands = forms.CharField(
        label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ToCasebookForm(forms.Form):
    facts = forms.CharField(
        label=_("基本案情"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    handling = forms.CharField(
        label=_("处理结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=8000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("送入以案释法（草稿）")))


class AssignForm(forms.Form):
    articles = forms.MultipleChoiceField(label=_("条文"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)
    due_on = forms.DateField(
        label=_("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, article_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].choices = article_choices
