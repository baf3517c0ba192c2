"""Demo information requests between member countries, in every state. Written through the
services (so history, audit rows, receipts and notifications are real), keyed by `demo_key`
so that a second run adds nothing. Free texts are demo data, in Spanish."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.cases.models import Case, Victim
from quipu.cooperation.requests.models import InformationRequest, State
from quipu.cooperation.requests.services import (
    information_request_open,
    information_request_transition,
)
from quipu.tenancy.models import User

# (requesting country, receiving country)
CORRIDORS = [("PE", "CO"), ("AR", "BO"), ("BR", "PY"), ("CL", "PE"), ("CO", "VE"), ("EC", "CO")]
PLAN = [
    State.SENT,
    State.CLARIFICATION,
    State.APPROVED,
    State.PARTIAL,
    State.REFUSED,
    State.WITHDRAWN,
    State.REVOKED,
]
PER_CORRIDOR = 2
BASES = ["prosecutors", "mla_treaty", "police", "consular"]
CATEGORIES = [["identity", "route"], ["identifiers", "exploitation", "proceedings"]]


def demo_build(*, stdout) -> None:
    created = 0
    for index, (requesting, receiving) in enumerate(CORRIDORS):
        for number in range(PER_CORRIDOR):
            key = f"demo:{requesting}-{receiving}:{number}"
            if InformationRequest.objects.filter(demo_key=key).exists():
                continue
            state = PLAN[(index + 3 * number) % len(PLAN)]
            created += _request(requesting, receiving, number, state, key)
    stdout.write(_("Information requests: %(created)s new.") % {"created": created})


def _request(requesting: str, receiving: str, number: int, state: str, key: str) -> int:
    with_victims = Exists(Victim.objects.filter(case=OuterRef("pk")))
    record = Case.objects.filter(owner__country_id=receiving).filter(with_victims).first()
    if record is None:
        return 0
    prosecutor = User.objects.get(username=f"prosecutor.{requesting.lower()}")
    focal = User.objects.get(username=f"focal.{receiving.lower()}")
    today = timezone.localdate()
    found = information_request_open(
        actor=prosecutor,
        receiving_country=receiving,
        legal_basis=BASES[number % len(BASES)],
        legal_basis_details="Memorando de entendimiento entre fiscalías, 2019",
        purpose="Identificar a la víctima y reconstruir la ruta de captación.",
        categories=CATEGORIES[number % len(CATEGORIES)],
        urgency=["urgent", "routine"][number % 2],
        due_on=today + timedelta(days=5 + 10 * number),
    )

    def act(actor, action, **fields):
        information_request_transition(
            actor=actor, information_request=found, action=action, **fields
        )

    if state == State.CLARIFICATION:
        act(focal, "ask", comment="Indiquen el número de causa y el delito investigado.")
    elif state in (State.APPROVED, State.PARTIAL, State.REVOKED):
        action = "approve" if state != State.PARTIAL else "approve_part"
        act(focal, action, categories=found.categories[:1], cases=[record])
        if state == State.REVOKED:
            act(focal, "revoke", comment="La causa fue archivada.")
    elif state == State.REFUSED:
        act(focal, "refuse", comment="La base legal invocada no cubre datos de identidad.")
    elif state == State.WITHDRAWN:
        act(prosecutor, "withdraw")
    InformationRequest.objects.filter(pk=found.pk).update(
        demo_key=key, sent_at=timezone.now() - timedelta(days=2 + 4 * number)
    )
    return 1
