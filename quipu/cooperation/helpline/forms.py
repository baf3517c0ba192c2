"""Web forms of the helpline: validation of input only, no side effects."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.helpline.models import (
    Channel,
    IdentifierKind,
    Situation,
    State,
    Urgency,
)
from quipu.cooperation.helpline.triage import IDENTIFIERS_OF
from quipu.cooperation.helpline.validation import (
    ACCOUNT_MAX,
    MAX_IDENTIFIERS,
    caller_fields_check,
    caller_normalised,
    identifier_normalised,
)
from quipu.tenancy.country_order import CountryChoiceField
from quipu.tenancy.models import Country


def member_states():
    return Country.objects.filter(is_member=True).order_by("code")


class ReportLogForm(forms.Form):
    account = forms.CharField(
        label=_("What the caller reports"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=ACCOUNT_MAX,
    )
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    place_country = CountryChoiceField(
        label=_("Country where it happens"), queryset=Country.objects.none()
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("City, neighbourhood or landmark, as the caller gave it."),
    )
    caller_consents = forms.BooleanField(
        label=_("The caller consents to being contacted"),
        required=False,
        help_text=_(
            "Only then are the caller's name and contact details recorded. Anonymous callers "
            "stay anonymous: do not record their number."
        ),
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=40, required=False)
    caller_email = forms.CharField(label=_("Caller's e-mail"), max_length=254, required=False)

    def __init__(self, *args, region: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["place_country"].queryset = member_states()
        if region and not self.is_bound:
            self.fields["place_country"].initial = region

    def clean(self):
        data = super().clean()
        refused = caller_fields_check(data.get("caller_consents", False), self.data)
        for name, message in refused.items():
            self.add_error(name, message)
        if refused:
            return data
        data, errors = caller_normalised(data, region=self.region)
        for name, error in errors.items():
            self.add_error(name, error)
        return data


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of identifier"),
        choices=[("", "—"), *IdentifierKind.choices],
        required=False,
    )
    value = forms.CharField(label=_("Value"), max_length=200, required=False)

    def __init__(self, *args, region: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if not kind and not value:
            return {}
        if not kind:
            self.add_error("kind", _("Choose a type of identifier."))
            return data
        try:
            data["value"] = identifier_normalised(kind, value, region=self.region)
        except ValidationError as error:
            self.add_error("value", error)
        return data


IdentifierFormSet = formset_factory(
    IdentifierForm, extra=3, max_num=MAX_IDENTIFIERS, validate_max=True
)


def identifiers_of(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("kind")]


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any"))] + State.choices, required=False
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=[("", _("Any"))] + Situation.choices, required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("Any"))] + Urgency.choices, required=False
    )


class LeadForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    note = forms.CharField(
        label=_("Note for the institution"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class CaseForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution owning the case"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Type of case"),
        choices=[("TIP", _("Trafficking in persons")), ("SOM", _("Smuggling of migrants"))],
    )
    identifiers_of = forms.ChoiceField(
        label=_("The identifiers given are those of"),
        choices=list(
            zip(IDENTIFIERS_OF, [_("a possible victim"), _("a suspected perpetrator")], strict=True)
        ),
        widget=forms.RadioSelect,
        initial="victim",
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class RouteForm(forms.Form):
    to_country = CountryChoiceField(label=_("Country to route it to"), queryset=None)
    note = forms.CharField(
        label=_("Note for the receiving country"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_country"].queryset = member_states().exclude(code=current)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not actionable"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
