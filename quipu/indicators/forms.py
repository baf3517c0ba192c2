from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.indicators.framework import (
    CODE,
    formula_reference_problems,
    indicator_rules_check,
)
from quipu.indicators.models import Disaggregation, Indicator

MAX_UPLOAD = 10 * 1024 * 1024


class IndicatorForm(forms.ModelForm):
    disaggregations = forms.MultipleChoiceField(
        label=_("disaggregations"),
        choices=Disaggregation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "axis",
            "order",
            "name_es",
            "name_pt",
            "name_en",
            "definition_es",
            "definition_pt",
            "definition_en",
            "unit",
            "disaggregations",
            "periodicity",
            "data_source",
            "reference",
            "responsible_kind",
            "computation",
            "case_measure",
            "aggregation",
            "numerator",
            "denominator",
            "factor",
            "is_active",
        ]
        widgets = {
            "definition_es": forms.Textarea(attrs={"rows": 3}),
            "definition_pt": forms.Textarea(attrs={"rows": 3}),
            "definition_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not CODE.match(code):
            raise forms.ValidationError(_("A code of letters, digits, - or _ is required."))
        return code

    def clean(self):
        cleaned = super().clean()
        values = {**cleaned, "code": cleaned.get("code") or self.instance.code}
        for column, message in indicator_rules_check(values):
            if column in self.fields:
                self.add_error(column, message)
        # The formula may only name indicators that exist, without going round in a circle.
        others = {
            i.code: {"numerator": i.numerator, "denominator": i.denominator}
            for i in Indicator.objects.exclude(pk=self.instance.pk)
        }
        if values["code"]:
            others[values["code"]] = values
            for column, message in formula_reference_problems(others).get(values["code"], []):
                self.add_error(column, message)
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
