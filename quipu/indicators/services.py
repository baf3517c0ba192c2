"""Writes to the indicator framework: the edit page, the XLSX import and the shipped defaults.
Each checks MANAGE_REGION through the permission layer and writes an audit row."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput
from quipu.indicators.framework import (
    INDICATOR_COLUMNS,
    RowError,
    axis_row_clean,
    formula_reference_problems,
    indicator_row_clean,
)
from quipu.indicators.framework_xlsx import framework_export_bytes, framework_workbook_read
from quipu.indicators.models import Axis, Indicator
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability

_FIELDS = [column for column in INDICATOR_COLUMNS if column not in ("code", "axis")]


class FrameworkInvalid(InvalidInput):
    """The file breaks the framework's rules; `errors` name each sheet, row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            _("The framework was not imported: %(count)s problems.") % {"count": len(errors)}
        )


def framework_validate(axes_rows, indicator_rows) -> tuple[list[dict], list[dict], list[RowError]]:
    """Every row checked; a framework is whole, so formulas may only name indicators in it."""
    errors: list[RowError] = []
    axes: list[dict] = []
    seen_axes: set[str] = set()
    for number, raw in axes_rows:
        values, problems = axis_row_clean(raw)
        if values["code"] in seen_axes:
            problems.append(("code", _("This code appears twice.")))
        seen_axes.add(values["code"])
        errors += [RowError("axes", number, column, message) for column, message in problems]
        axes.append(values)
    indicators: dict[str, dict] = {}
    numbers: dict[str, int] = {}
    for number, raw in indicator_rows:
        values, problems = indicator_row_clean(raw)
        if values["code"] in indicators:
            problems.append(("code", _("This code appears twice.")))
        elif values["axis"] and values["axis"] not in seen_axes:
            problems.append(
                ("axis", _("No axis has the code %(code)s.") % {"code": values["axis"]})
            )
        errors += [RowError("indicators", number, column, message) for column, message in problems]
        indicators.setdefault(values["code"], values)
        numbers.setdefault(values["code"], number)
    for code, problems in formula_reference_problems(indicators).items():
        errors += [RowError("indicators", numbers[code], col, msg) for col, msg in problems]
    errors.sort(key=lambda error: (error.sheet, error.row))
    return axes, list(indicators.values()), errors


@transaction.atomic
def framework_apply(*, axes: list[dict], indicators: list[dict]) -> dict[str, int]:
    """Upsert axes and indicators by code; indicators missing from the set are deactivated
    (not deleted: survey questions and later values still point at them)."""
    for values in axes:
        Axis.objects.update_or_create(
            code=values["code"], defaults={k: v for k, v in values.items() if k != "code"}
        )
    axis_ids = dict(Axis.objects.values_list("code", "pk"))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    existing = {i.code: i for i in Indicator.objects.all()}
    for values in indicators:
        fields = {name: values[name] for name in _FIELDS}
        fields["axis_id"] = axis_ids[values["axis"]]
        indicator = existing.get(values["code"])
        if indicator is None:
            Indicator.objects.create(code=values["code"], **fields)
            counts["created"] += 1
            continue
        changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
        if changed:
            for name in changed:
                setattr(indicator, name, fields[name])
            indicator.save(update_fields=changed)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    codes = {values["code"] for values in indicators}
    counts["deactivated"] = (
        Indicator.objects.filter(is_active=True).exclude(code__in=codes).update(is_active=False)
    )
    return counts


def framework_import(*, actor, content: bytes, file_name: str, request=None) -> dict[str, int]:
    """Replace the framework with an XLSX workbook's, all or nothing."""
    require(actor, Capability.MANAGE_REGION, request=request)
    axes_rows, indicator_rows, errors = framework_workbook_read(content)
    if errors:
        raise FrameworkInvalid(errors)
    axes, indicators, errors = framework_validate(axes_rows, indicator_rows)
    if errors:
        raise FrameworkInvalid(errors)
    with transaction.atomic():
        counts = framework_apply(axes=axes, indicators=indicators)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="indicators.indicator",
            detail={
                "via": "xlsx",
                "sha256": hashlib.sha256(content).hexdigest(),
                **counts,
            },
            request=request,
        )
    return counts


def framework_export(*, actor, request=None) -> bytes:
    """The whole framework as a workbook that `framework_import` takes back unchanged."""
    content = framework_export_bytes()
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="indicators.indicator",
        detail={"format": "xlsx"},
        request=request,
    )
    return content


def indicator_save(*, actor, indicator: Indicator, changed: list[str], request=None) -> Indicator:
    """Save an indicator edited on the page (new or existing), audited with the changed fields."""
    require(actor, Capability.MANAGE_REGION, request=request)
    created = indicator.pk is None
    with transaction.atomic():
        indicator.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=indicator,
            detail={"code": indicator.code, "fields": sorted(changed)},
            request=request,
        )
    return indicator
