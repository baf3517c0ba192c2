"""The steps of the case form. Validation only; saving is in services.py."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from quipu.cases import validation
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Perpetrator, Person, Victim
from quipu.cases.vocabulary import choices
from quipu.tenancy.country_order import CountryChoiceField
from quipu.tenancy.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(vocabulary: str, required: bool = False, **kwargs) -> forms.ChoiceField:
    """A picklist with an empty first option, so that an untouched extra row stays unchanged.

    The choices are a callable: labels follow the language of each request, not of start-up.
    """
    return forms.ChoiceField(
        choices=lambda: [("", "—"), *choices(vocabulary)], required=required, **kwargs
    )


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
    citizenship = CountryChoiceField(
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
    event_type = _choice("route_event_type", required=True, label=_("Event"))
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False)
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
    kind = _choice("identifier_kind", required=True, label=_("Type of identifier"))
    value = forms.CharField(label=_("Value"), max_length=200)
    document_type = _choice("document_type", label=_("Document type"))
    issuing_country = CountryChoiceField(
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


# absolute_max bounds what a forged TOTAL_FORMS can make the server build (default: 1,000 more).
IdentifierFormSet = forms.formset_factory(
    IdentifierForm, extra=2, can_delete=True, max_num=20, absolute_max=50
)


def identifiers_initial(person: Person | None) -> list[dict]:
    """The rows of an identifier formset for `person`'s saved identifiers."""
    if person is None:
        return []
    return [
        {
            "kind": i.kind,
            "value": i.value,
            "document_type": i.document_type,
            "issuing_country": i.issuing_country_id,
        }
        for i in person.identifiers.all()
    ]


def identifiers_cleaned(formset: forms.BaseFormSet) -> list[dict]:
    """The identifiers a valid formset keeps, as `services` takes them."""
    return [
        {
            "kind": f.cleaned_data["kind"],
            "value": f.cleaned_data["value"],
            "document_type": f.cleaned_data.get("document_type", ""),
            "issuing_country": f.cleaned_data.get("issuing_country"),
        }
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


PERPETRATOR_PERSON_FIELDS = ["first_name", "second_name", "gender", "citizenship", "birthdate"]


class PerpetratorForm(forms.Form):
    """One perpetrator: the person, the role in the process, and the person's identifiers.

    The identifiers are a formset nested under this form's prefix (`per-0-ids-...`).
    """

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Person, fields=PERPETRATOR_PERSON_FIELDS, widgets={"birthdate": DATE}
            )
        )
        self.fields["gender"] = _choice("gender", label=self.fields["gender"].label)
        self.fields["citizenship"].queryset = Country.objects.all()
        self.fields["roles"] = _multi("perpetrator_role")
        self.fields["roles"].label = capfirst(Perpetrator._meta.get_field("roles").verbose_name)
        self.fields.update(forms.fields_for_model(Perpetrator, fields=["role_details"]))
        self.fields["role_details"].widget.attrs["rows"] = 3
        self.region = region
        self.identifiers = IdentifierFormSet(
            self.data if self.is_bound else None,
            initial=self.initial.get("identifiers", []),
            prefix=f"{self.prefix}-ids" if self.prefix else "ids",
            form_kwargs={"region": region},
        )

    def has_changed(self) -> bool:
        # A new row with only an identifier filled in is a perpetrator too, not a blank row.
        return super().has_changed() or self.identifiers.has_changed()

    def clean_birthdate(self):
        birthdate = self.cleaned_data.get("birthdate")
        validation.birthdate_check(birthdate)
        return birthdate

    def clean(self):
        data = super().clean()
        data["roles"] = CodeSet.of(data.get("roles") or [])
        citizenship = data.get("citizenship")
        # A national-format phone number is read as one of the perpetrator's country.
        region = citizenship.pk if citizenship else self.region
        for form in self.identifiers.forms:
            form.region = region
        if not self.identifiers.is_valid():
            self.add_error(
                None,
                ValidationError(
                    _("Correct the identifiers of this perpetrator below."), code="identifiers"
                ),
            )
        return data

    def entry(self) -> dict:
        """This valid row as `services.perpetrators_replace` takes it."""
        data = self.cleaned_data
        return {
            "id": data.get("id"),
            "person_fields": {name: data.get(name) for name in PERPETRATOR_PERSON_FIELDS},
            "roles": data["roles"],
            "role_details": data.get("role_details", ""),
            "identifiers": identifiers_cleaned(self.identifiers),
        }


class BasePerpetratorFormSet(forms.BaseFormSet):
    def perpetrators(self) -> list[dict]:
        """Every row kept (filled in and not ticked for deletion) of a valid formset."""
        return [
            f.entry() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def error_summary(self) -> list[str]:
        """One line per error, naming the perpetrator, the identifier and the field."""
        if not self.is_bound:
            return []
        lines = [str(message) for message in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form):
                continue
            entry = _("Perpetrator %(number)s") % {"number": number}
            lines += _error_lines(entry, form, skip_codes={"identifiers"})
            if not form.has_error(NON_FIELD_ERRORS, code="identifiers"):
                continue
            lines += [
                _("%(entry)s: %(message)s") % {"entry": entry, "message": message}
                for message in form.identifiers.non_form_errors()
            ]
            for id_number, id_form in enumerate(form.identifiers.forms, start=1):
                if form.identifiers._should_delete_form(id_form):
                    continue
                row = _("%(entry)s, identifier %(number)s") % {"entry": entry, "number": id_number}
                lines += _error_lines(row, id_form)
        return lines


def _error_lines(entry: str, form: forms.Form, skip_codes=frozenset()) -> list[str]:
    lines = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        for error in errors:
            if error.code in skip_codes:
                continue
            message = " ".join(error.messages)
            if field is None:
                lines.append(_("%(entry)s: %(message)s") % {"entry": entry, "message": message})
            else:
                lines.append(
                    _("%(entry)s, %(field)s: %(message)s")
                    % {"entry": entry, "field": field.label, "message": message}
                )
    return lines


PerpetratorFormSet = forms.formset_factory(
    PerpetratorForm,
    formset=BasePerpetratorFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    absolute_max=50,
)


def perpetrators_initial(perpetrators) -> list[dict]:
    """The rows of the perpetrator formset for the case's saved perpetrators."""
    return [
        {
            "id": p.pk,
            **{name: getattr(p.person, name) for name in PERPETRATOR_PERSON_FIELDS},
            "citizenship": p.person.citizenship_id,
            "roles": sorted(p.roles.present),
            "role_details": p.role_details,
            "identifiers": identifiers_initial(p.person),
        }
        for p in perpetrators
    ]


class ConsentStepForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The victim consents to the management of their data"), required=False
    )
    share_with_home_country = forms.BooleanField(
        label=_("The victim consents to sharing with their country of citizenship"),
        required=False,
    )
    given_on = forms.DateField(label=_("Date of consent"), required=False, widget=DATE)
