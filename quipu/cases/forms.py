from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.cases.vocabulary import choices
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.country_order import countries_by_name

ANY = _("Any")


def _with_blank(options):
    return [("", ANY), *options]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Type of case"), required=False)
    year_from = forms.IntegerField(
        label=_("Registered from (year)"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("Registered until (year)"), required=False, min_value=1900, max_value=2100
    )
    gender = forms.ChoiceField(label=_("Sex or gender"), required=False)
    age_group = forms.ChoiceField(label=_("Age group"), required=False)
    exploitation = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    exploited_in = forms.ChoiceField(label=_("Country of exploitation"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _with_blank(choices("case_status"))
        self.fields["kind"].choices = _with_blank(choices("case_kind"))
        self.fields["gender"].choices = _with_blank(choices("gender"))
        self.fields["age_group"].choices = _with_blank(
            [("minor", _("Minors (under 18)")), ("adult", _("Adults (18 and over)"))]
            + choices("age_group")
        )
        self.fields["exploitation"].choices = _with_blank(choices("exploitation_type"))
        country_choices = [(c.code, c.name) for c in countries_by_name(countries)]
        self.fields["citizenship"].choices = _with_blank(country_choices)
        self.fields["exploited_in"].choices = _with_blank(country_choices)

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_from > year_to:
            self.add_error("year_to", _("The end year is before the start year."))
        return data


def filter_countries():
    from quipu.tenancy.models import Country

    return Country.objects.filter(code__in=REGIONAL_PLATFORM) | Country.objects.filter(
        code__in=["US", "ES", "MX", "DO", "HT", "CN"]
    )
