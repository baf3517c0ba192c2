"""One way to write an indicator's value, by its unit, in the active language (issue 14,
item 8): counts without decimals ("3", "1.204"), rates and scales with two ("12,00"),
percentages with one and a sign ("99,9 %"), yes/no as words. Tables, charts and the map all
write values through here, so one column never mixes "3" with "12,0" or "1.00" with "99,9 %"."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quipu.indicators.models import Unit
from quipu.progress.values import PLACES


def unit_places(unit: str) -> int:
    return PLACES.get(unit, 0 if unit in (Unit.COUNT, Unit.YES_NO) else 2)


def unit_value_text(unit: str, value: Decimal) -> str:
    """A value in `unit`, formatted for the active language (no marks for missing data)."""
    if unit == Unit.YES_NO:
        return _("Yes") if value == 1 else _("No")
    text = number_format(value, decimal_pos=unit_places(unit), use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == Unit.PERCENTAGE else text


def value_writer(unit: str):
    """unit_value_text for one unit, as the charts take it."""
    return lambda value: unit_value_text(unit, value)
