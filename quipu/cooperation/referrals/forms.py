"""Web forms of referrals: validation of input only; the services enforce the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cases.models import Victim
from quipu.cases.vocabulary import label, terms_by_vocabulary
from quipu.cooperation.referrals.models import Assistance, Outcome, State, StepStatus, Urgency
from quipu.tenancy.country_order import CountryChoiceField
from quipu.tenancy.models import Country


def gender_choices() -> list[tuple[str, str]]:
    """The HTCDS gender picklist, in the reader's language."""
    codes = terms_by_vocabulary().get("gender", {})
    return [("", "—"), *((code, label("gender", code)) for code in codes)]


class VictimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, victim: Victim) -> str:
        # No names in the list: the case reference, the person's id and the citizenship.
        return _("%(case)s · person #%(person)s · %(country)s") % {
            "case": victim.case.reference,
            "person": victim.person_id,
            "country": victim.person.citizenship.name if victim.person.citizenship else "",
        }


class ReferralFieldsForm(forms.Form):
    assistance = forms.MultipleChoiceField(
        label=_("Assistance needed"),
        choices=Assistance.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    assistance_details = forms.CharField(
        label=_("Details of the assistance needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with the home country only if the victim consented to sharing."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    contact_name = forms.CharField(label=_("Contact person at your institution"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contact_email") and not cleaned.get("contact_phone"):
            raise forms.ValidationError(_("Give an e-mail or a phone number for the contact."))
        return cleaned


class ReferralOpenForm(ReferralFieldsForm):
    field_order = ["victim"]

    def __init__(self, *args, victims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"] = VictimChoiceField(
            label=_("Victim"),
            queryset=victims if victims is not None else Victim.objects.none(),
            help_text=_(
                "Victims of your institution's cases who are citizens of another member state."
            ),
        )
        self.order_fields(["victim"])


class ForeignVictimForm(ReferralFieldsForm):
    """A consular officer registers the victim they found and refers them in one step."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    second_name = forms.CharField(label=_("Surname(s)"), max_length=150)
    birthdate = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    gender = forms.ChoiceField(label=_("Sex"), choices=gender_choices, required=False)
    citizenship = CountryChoiceField(
        label=_("Citizenship"), queryset=Country.objects.filter(is_member=True)
    )
    consent = forms.BooleanField(
        label=_("The victim consents to the management of their personal data"), required=False
    )
    share_with_home_country = forms.BooleanField(
        label=_("The victim consents to sharing their identity with their country of citizenship"),
        required=False,
    )
    field_order = ["first_name", "second_name", "birthdate", "gender", "citizenship"]

    def clean_birthdate(self):
        birthdate = self.cleaned_data.get("birthdate")
        if birthdate and birthdate > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return birthdate

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("share_with_home_country") and not cleaned.get("consent"):
            self.add_error(
                "share_with_home_country",
                _("Sharing needs the consent to the management of personal data as well."),
            )
        return cleaned


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you decline: give the reason."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), choices=[("", "—"), *Outcome.choices], required=False
    )


class WithdrawalForm(forms.Form):
    """The referring side's withdrawal: posted to the same action view as TransitionForm."""

    comment = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The home country's focal points read it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw_%s")  # unique ids beside the answer form
        super().__init__(*args, **kwargs)


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=Assistance.choices)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class StepUpdateForm(forms.Form):
    """Shown inline in each step's row, so the fields carry their names as aria-labels."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=StepStatus.choices,
        widget=forms.Select(attrs={"aria-label": _("Status")}),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "aria-label": _("Due date")}),
    )


class ReferralFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
