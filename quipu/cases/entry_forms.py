"""The steps of the case form. Validation only; saving is in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quipu.cases import validation
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Person, Victim
from quipu.cases.vocabulary import choices
from quipu.tenancy.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(vocabulary: str, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "—"), *choices(vocabulary)], required=required)


def _multi(vocabulary: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices(vocabulary), required=False, widget=forms.CheckboxSelectMultiple
    )


class CaseStepForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Owning institution"), queryset=None)

    class Meta:
        model = Case
        fields = ["owner", "kind", "status", "registered_on", "closure_reason"]
        widgets = {"registered_on": DATE}

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = institutions
        if self.instance.pk:
            del self.fields["owner"]  # a case keeps its owner
        elif institutions.count() == 1:
            self.fields["owner"].initial = institutions.first()
        self.fields["kind"] = _choice("case_kind", required=True)
        self.fields["kind"].label = _("Type of case")
        self.fields["status"] = _choice("case_status", required=True)
        self.fields["status"].label = _("Case status")

    def clean(self):
        data = super().clean()
        if data.get("status", "").startswith("Closed") and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Say why the case was closed."))
        return data


class PersonStepForm(forms.ModelForm):
    citizenship = forms.ModelChoiceField(
        label=_("Citizenship"), queryset=Country.objects.all(), required=False
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "middle_name",
            "second_name",
            "birthdate",
            "gender",
            "citizenship",
            "marital_status",
            "education",
            "number_of_children",
        ]
        widgets = {"birthdate": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in (
            ("gender", "gender"),
            ("marital_status", "marital_status"),
            ("education", "education"),
        ):
            label = self.fields[name].label
            self.fields[name] = _choice(vocabulary)
            self.fields[name].label = label

    def clean_birthdate(self):
        birthdate = self.cleaned_data.get("birthdate")
        validation.birthdate_check(birthdate)
        return birthdate


CODESET_FIELDS = {
    "exploitation_types": "exploitation_type",
    "labour_industries": "labour_industry",
    "sex_exploitation_types": "sex_exploitation_type",
    "control_methods": "control_method",
    "recruitment_methods": "recruitment_method",
    "vulnerabilities": "vulnerability",
}


class VictimStepForm(forms.ModelForm):
    class Meta:
        model = Victim
        fields = [
            "trafficking_status",
            "status_decision_org",
            "relationship_to_trafficker",
            "age_when_trafficked",
            *CODESET_FIELDS,
            "vulnerability_details",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in (
            ("trafficking_status", "trafficking_status"),
            ("status_decision_org", "status_decision_org"),
            ("relationship_to_trafficker", "relationship_to_trafficker"),
        ):
            label = self.fields[name].label
            self.fields[name] = _choice(vocabulary)
            self.fields[name].label = label
        for name, vocabulary in CODESET_FIELDS.items():
            label = Victim._meta.get_field(name).verbose_name
            self.fields[name] = _multi(vocabulary)
            self.fields[name].label = label
            if self.instance.pk:
                self.initial[name] = sorted(getattr(self.instance, name).present)

    def clean_age_when_trafficked(self):
        age = self.cleaned_data.get("age_when_trafficked")
        validation.age_check(age)
        return age

    def clean(self):
        data = super().clean()
        for name in CODESET_FIELDS:
            data[name] = CodeSet.of(data.get(name) or [])
        exploitation = data["exploitation_types"].present
        if data["labour_industries"] and "ForcedLabour" not in exploitation:
            self.add_error("labour_industries", _("Industries apply to forced labour only."))
        if data["sex_exploitation_types"] and "SexualExploitation" not in exploitation:
            self.add_error("sex_exploitation_types", _("These apply to sexual exploitation only."))
        return data


class RouteEventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Event"), choices=choices("route_event_type"))
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)


class BaseRouteFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        events = [
            (f.cleaned_data["event_type"], f.cleaned_data.get("date"))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            validation.route_order_check(events)
        except ValidationError as error:
            raise ValidationError(error.message, code=error.code) from None


RouteFormSet = forms.formset_factory(
    RouteEventForm, formset=BaseRouteFormSet, extra=3, can_delete=True, max_num=12
)


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of identifier"), choices=choices("identifier_kind"))
    value = forms.CharField(label=_("Value"), max_length=200)
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=[("", "—"), *choices("document_type")]
    )
    issuing_country = forms.ModelChoiceField(
        label=_("Issuing country"), required=False, queryset=Country.objects.all()
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if not value:
            return data
        try:
            if kind == "phone":
                data["value"] = validation.phone_e164(value, region=self.region)
            elif kind == "email":
                data["value"] = validation.email_normalised(value)
            elif kind == "document":
                data["value"] = validation.document_normalised(value)
                if not data.get("issuing_country"):
                    self.add_error(
                        "issuing_country", _("A document number needs its issuing country.")
                    )
        except ValidationError as error:
            self.add_error("value", error)
        return data


IdentifierFormSet = forms.formset_factory(IdentifierForm, extra=2, can_delete=True, max_num=20)


class ConsentStepForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The victim consents to the management of their data"), required=False
    )
    share_with_home_country = forms.BooleanField(
        label=_("The victim consents to sharing with their country of citizenship"),
        required=False,
    )
    given_on = forms.DateField(label=_("Date of consent"), required=False, widget=DATE)
