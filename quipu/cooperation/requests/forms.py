"""Web forms of information requests: validation of input only; the services enforce the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cases.models import Case
from quipu.cooperation.requests.models import Category, LegalBasis, State, Urgency
from quipu.cooperation.requests.services import GRANT_DAYS_DEFAULT, GRANT_DAYS_MAX
from quipu.linkage.models import MatchNotice
from quipu.tenancy.country_order import CountryChoiceField
from quipu.tenancy.models import Country


class NoticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, notice: MatchNotice) -> str:
        return _("Match notice #%(notice)s") % {"notice": notice.pk}


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: Case) -> str:
        return case.reference


class RequestOpenForm(forms.Form):
    notice = NoticeChoiceField(
        label=_("Confirmed cross-border link"),
        queryset=MatchNotice.objects.none(),
        required=False,
        help_text=_("The request goes to the country that owns the other record of the link."),
    )
    receiving_country = CountryChoiceField(
        label=_("Country asked"),
        queryset=Country.objects.filter(is_member=True),
        required=False,
        help_text=_("Needed when the request does not start from a match notice."),
    )
    case = CaseChoiceField(
        label=_("Your country's case (optional)"),
        queryset=Case.objects.none(),
        required=False,
        to_field_name="reference",
        widget=forms.TextInput,
        help_text=_("The reference of the case the request is about."),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    legal_basis_details = forms.CharField(
        label=_("Legal basis: treaty, article or agreement"),
        required=False,
        max_length=500,
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you need the information: the investigation or proceedings."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories of fields requested"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category of fields.")},
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user_country: str | None = None, notices=None, cases=None, **kw):
        super().__init__(*args, **kw)
        self.user_country = user_country
        if notices is not None:
            self.fields["notice"].queryset = notices
        if cases is not None:
            self.fields["case"].queryset = cases
        self.fields["case"].error_messages["invalid_choice"] = _(
            "No case of your country has this reference."
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on <= timezone.localdate():
            raise forms.ValidationError(_("The due date must be after today."))
        return due_on

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("receiving_country")
        if not cleaned.get("notice") and not country:
            self.add_error(
                "receiving_country", _("Choose the country, or start from a match notice.")
            )
        elif country and not cleaned.get("notice") and country.code == self.user_country:
            self.add_error(
                "receiving_country", _("A request goes to another member country than your own.")
            )
        return cleaned


class AnswerForm(forms.Form):
    """The receiving focal point's answer: grant, ask or refuse."""

    categories = forms.MultipleChoiceField(
        label=_("Categories you grant"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Used when you approve in part; approving all grants every category asked."),
    )
    records = forms.CharField(
        label=_("Your records to disclose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Case references of your country, one per line."),
    )
    expires_on = forms.DateField(
        label=_("The grant expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to ask for clarification or to refuse: the question or the reason."),
    )

    def __init__(self, *args, requested=(), cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [c for c in Category.choices if c[0] in requested]
        self.cases = cases if cases is not None else Case.objects.none()
        if not self.is_bound:
            self.initial.setdefault("categories", list(requested))
            self.initial.setdefault(
                "expires_on", timezone.localdate() + datetime.timedelta(days=GRANT_DAYS_DEFAULT)
            )

    def clean_records(self) -> list[Case]:
        references = [line.strip() for line in self.cleaned_data["records"].split() if line]
        found = {case.reference: case for case in self.cases.filter(reference__in=references)}
        unknown = [ref for ref in references if ref not in found]
        if unknown:
            raise forms.ValidationError(
                _("No case of your country has the reference %(reference)s.")
                % {"reference": unknown[0][:40]}
            )
        return list(found.values())

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if expires_on and not today < expires_on <= today + datetime.timedelta(GRANT_DAYS_MAX):
            raise forms.ValidationError(
                _("The grant must expire after today and within %(days)s days.")
                % {"days": GRANT_DAYS_MAX}
            )
        return expires_on


class CommentForm(forms.Form):
    """The requesting side's answer to a question, a withdrawal, or a revocation's reason."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
