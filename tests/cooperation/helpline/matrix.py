"""Permission-matrix rules for helpline reports (see tests/matrix_rules.py).

The matrix's caseworker.xx is at XX-POLICE: a police caseworker may log reports (LOG_REPORTS)
and sees the reports of their own institution; the matrix's report is logged by XX-POLICE.
Focal points triage their country's reports; prosecutors see only leads assigned to them.
"""

from tests.matrix_rules import ANY, Route, roles

LOGGERS = roles("focal_point", "caseworker")
READERS = roles("focal_point", "caseworker", "prosecutor")  # READ_CASES: own and assigned
TRIAGE = roles("focal_point")

ROUTES = {
    "helpline:mine": Route(READERS),
    "helpline:new": Route(LOGGERS),
    "helpline:inbox": Route(TRIAGE),
    "helpline:inbox_export": Route(TRIAGE),
    "helpline:detail": Route(LOGGERS, obj="helpline_report"),
    "helpline:triage": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "lead"}),  # POST only
    "api:helpline-reports": Route(READERS),
    "api:helpline-inbox": Route(TRIAGE),
    "api:helpline-report": Route(LOGGERS, obj="helpline_report"),
    # POST only; DRF checks the capability before the method.
    "api:helpline-report-triage": Route(TRIAGE, ok=(405,), kwargs={"pk": 1, "action": "lead"}),
}


def helpline_report(country: str):
    """A new report logged by the country's police, about the country itself."""
    from quipu.cooperation.helpline.models import HelplineReport
    from quipu.tenancy.models import Institution

    police = Institution.objects.get(code=f"{country}-POLICE")
    report, _ = HelplineReport.objects.get_or_create(
        reference=f"{country}-HL-MATRIX",
        defaults={
            "country_id": country,
            "institution": police,
            "situation": "forced_labour",
            "urgency": "3_normal",
            "channel": "phone",
            "account": "Relato de prueba de la matriz.",
            "place_country_id": country,
        },
    )
    return report


RECORDS = {"helpline_report": helpline_report}
