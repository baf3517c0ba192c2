"""The targets form: one value and year per indicator of the framework, in axis order."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.indicators.models import Indicator, Unit
from quipu.progress.services import FIRST_YEAR, LAST_YEAR, TargetInput, target_problems

YES_NO_CHOICES = [("", "—"), ("1", _("Yes")), ("0", _("No"))]


class TargetsForm(forms.Form):
    """Fields `value_<code>`, `year_<code>` and `note_<code>` for each indicator. A blank value
    clears that indicator's target."""

    def __init__(self, *args, indicators: list[Indicator], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            target = current.get(indicator.code)
            if indicator.unit == Unit.YES_NO:
                value = forms.TypedChoiceField(
                    choices=YES_NO_CHOICES,
                    coerce=Decimal,
                    empty_value=None,
                    required=False,
                )
            else:
                value = forms.DecimalField(
                    required=False, min_value=0, max_digits=14, decimal_places=2
                )
            value.label = _("Target")
            year = forms.IntegerField(
                label=_("Target year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
            )
            note = forms.CharField(label=_("Note"), required=False, max_length=300)
            if target is not None:
                shown = str(int(target.value)) if indicator.unit == Unit.YES_NO else target.value
                value.initial, year.initial, note.initial = shown, target.target_year, target.note
            self.fields[f"value_{indicator.code}"] = value
            self.fields[f"year_{indicator.code}"] = year
            self.fields[f"note_{indicator.code}"] = note

    def rows(self):
        """(indicator, value field, year field, note field) for the template."""
        return [
            (i, self[f"value_{i.code}"], self[f"year_{i.code}"], self[f"note_{i.code}"])
            for i in self.indicators
        ]

    def clean(self):
        cleaned = super().clean()
        for entry in self._entries(cleaned):
            for field, message in target_problems(entry).items():
                self.add_error(f"{field}_{entry.indicator.code}", message)
        return cleaned

    def _entries(self, cleaned) -> list[TargetInput]:
        return [
            TargetInput(
                indicator=indicator,
                value=cleaned.get(f"value_{indicator.code}"),
                year=cleaned.get(f"year_{indicator.code}"),
                note=cleaned.get(f"note_{indicator.code}") or "",
            )
            for indicator in self.indicators
            if f"value_{indicator.code}" not in self.errors
            and f"year_{indicator.code}" not in self.errors
        ]

    def targets(self) -> list[TargetInput]:
        return self._entries(self.cleaned_data)
