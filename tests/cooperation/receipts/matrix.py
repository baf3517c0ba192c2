"""Permission-matrix rules for certified receipts (see tests/matrix_rules.py).

A receipt is seen by the users of its parties who take part in the cooperation workflows
(OPEN_REQUESTS, ANSWER_REQUESTS, OPEN_REFERRALS or ANSWER_REFERRALS); never by analysts or the
secretariat. The matrix treats a record as its country's own and as foreign to all others, so
the matrix receipt of a country has that country as its single party. Two-party downloads are
tested in test_pages.py.
"""

from tests.matrix_rules import ANY, Route, roles

PARTY_USERS = roles("focal_point", "caseworker", "prosecutor", "consular_officer")

ROUTES = {
    "receipts:list": Route(PARTY_USERS),
    "receipts:verify": Route(ANY),
    "receipts:download": Route(PARTY_USERS, obj="receipt"),
    "api:receipts": Route(PARTY_USERS),
    "api:receipt": Route(PARTY_USERS, obj="receipt"),
    "api:receipt-verify": Route(ANY, ok=(405,)),  # POST only
}


def _matrix_receipt(country: str):
    from quipu.cases.models import Case
    from quipu.cooperation.receipts.models import Receipt
    from quipu.cooperation.receipts.services import receipt_issue
    from quipu.tenancy.models import User

    case = Case.objects.get(reference=f"{country}-TEST-1")
    existing = Receipt.objects.filter(
        event="matrix.test", object_id=str(case.pk), parties=country
    ).first()
    if existing is not None:
        return existing
    return receipt_issue(
        event="matrix.test",
        subject=case,
        parties=[country],
        content={"step": "matrix"},
        actor=User.objects.get(username=f"focal.{country.lower()}"),
    )


RECORDS = {"receipt": _matrix_receipt}
