"""Web forms for survey rounds: input validation only (services do the rest)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.indicators.models import Survey
from quipu.tenancy.country_order import CountryMultipleChoiceField
from quipu.tenancy.models import Country, Institution, InstitutionKind, User


class RoundOpenForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    period = forms.RegexField(
        label=_("period"),
        regex=r"^\d{4}$",
        help_text=_("The year the answers describe, such as 2025."),
        error_messages={"invalid": _("Enter a year of four digits.")},
    )
    survey = forms.ModelChoiceField(label=_("survey"), queryset=Survey.objects.none())
    opens_on = forms.DateField(label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("due on"), widget=forms.DateInput(attrs={"type": "date"}))
    countries = CountryMultipleChoiceField(
        label=_("countries"),
        queryset=Country.objects.filter(is_member=True).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.defer("survey_json", "xform").order_by(
            "title", "-imported_at"
        )

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", _("The due date must not be before the opening date."))
        return cleaned


class AssignForm(forms.Form):
    """Assign by name (one institution and its responsible person) or by type (every
    institution of that type in the country)."""

    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none(), required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("responsible person"), queryset=User.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("or every institution of this type"),
        choices=[("", "—"), *InstitutionKind.choices],
        required=False,
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            country_id=country, is_active=True
        ).order_by("name")
        responsible = self.fields["responsible"]
        responsible.queryset = (
            User.objects.filter(membership__institution__country_id=country, is_active=True)
            .select_related("membership__institution")
            .order_by("membership__institution__name", "username")
        )
        responsible.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} · {user.membership.institution.code}"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind"):
            return cleaned
        if not cleaned.get("institution"):
            self.add_error("institution", _("Choose an institution, or a type of institution."))
        elif not cleaned.get("responsible"):
            self.add_error("responsible", _("Choose the responsible person."))
        return cleaned


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("General comment"),
        help_text=_("Needed to unlock (the reason), or to return without a comment on a question."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
