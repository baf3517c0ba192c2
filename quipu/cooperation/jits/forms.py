"""Web forms of JITs: validation of input only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.jits.models import LegalBasis
from quipu.tenancy.country_order import CountryChoiceField
from quipu.tenancy.models import Country, Institution


class DateInput(forms.DateInput):
    input_type = "date"


class JitOpenForm(forms.Form):
    name = forms.CharField(
        label=_("Operation name"),
        max_length=120,
        help_text=_("A code name for the operation; never a person's name."),
    )
    invite = forms.ModelMultipleChoiceField(
        label=_("Institutions to invite"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Prosecutors' offices or ministries of other member states."),
    )
    lead_country = CountryChoiceField(
        label=_("Lead country"), queryset=Country.objects.filter(is_member=True)
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    legal_basis_details = forms.CharField(
        label=_("Legal basis details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Name the agreement or treaty; required for “Other”."),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput)
    ends_on = forms.DateField(label=_("End date"), widget=DateInput)

    def __init__(self, *args, own_country: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_country = own_country
        self.fields["invite"].queryset = (
            Institution.objects.filter(country__is_member=True)
            .exclude(country_id=own_country)
            .select_related("country")
            .order_by("country_id", "code")
        )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        lead = data.get("lead_country")
        if lead is not None:
            countries = {self.own_country} | {i.country_id for i in data.get("invite") or ()}
            if lead.code not in countries:
                self.add_error(
                    "lead_country",
                    _("The lead country must be the country of one of the members."),
                )
        if data.get("legal_basis") == LegalBasis.OTHER and not data.get("legal_basis_details"):
            self.add_error("legal_basis_details", _("Name the legal basis."))
        return data


class InviteForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["institution"].queryset = institutions


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with every member. No victims' names: refer to cases by reference."),
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.membership.institution.code})"
        )


class CaseLinkForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=None)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: case.reference


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, plain text or CSV (UTF-8), DOCX, XLSX or ODT."),
    )
