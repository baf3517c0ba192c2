"""Indicator values as readers see them: yes/no words, percentages, rates and counts in the
active language's number format, and a word for a value that is missing or suppressed."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from quipu.indicators.models import Unit
from quipu.progress.formatting import unit_value_text
from quipu.progress.values import SUPPRESSED, IndicatorValue

register = template.Library()


@register.simple_tag
def indicator_value(value: IndicatorValue | None, unit: str):
    """The value, "Pending" marked when not yet accepted, or why there is none."""
    if value is None or not value.known:
        word = _("Suppressed") if value is not None and value.state == SUPPRESSED else _("No data")
        return format_html('<span class="value-missing">{}</span>', word)
    if value.pending:
        return format_html(
            '{} <span class="tag tag-warn">{}</span>',
            unit_value_text(unit, value.value),
            _("pending"),
        )
    return unit_value_text(unit, value.value)


@register.simple_tag
def change_text(change: Decimal | None, unit: str) -> str:
    if change is None:
        return "—"
    if change == 0:
        return _("No change")
    if unit == Unit.YES_NO:
        return _("Now in place") if change > 0 else _("No longer in place")
    sign = "+" if change > 0 else ""
    if unit == Unit.PERCENTAGE:  # a change of percentages is in percentage points
        text = number_format(change, decimal_pos=1, use_l10n=True)
        return _("%(change)s percentage points") % {"change": sign + text}
    return sign + unit_value_text(unit, change)


@register.simple_tag
def progress_axes():
    """The axes, for the progress pages' navigation."""
    from quipu.indicators.models import Axis

    return list(Axis.objects.all())


@register.simple_tag
def target_text(target, unit: str) -> str:
    return unit_value_text(unit, target.value)
