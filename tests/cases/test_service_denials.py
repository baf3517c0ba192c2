"""A refused write is audited even though the write's own transaction is rolled back."""

import pytest

from quipu.audit.models import Action, AuditEntry
from quipu.cases import services
from quipu.cases.models import Case, Victim
from quipu.errors import NotAllowed

pytestmark = pytest.mark.django_db


def _denials(case):
    return AuditEntry.objects.filter(
        action=Action.DENIED, object_type="cases.case", object_id=str(case.pk)
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, case: services.case_update(
            actor=actor, case=case, fields={"status": "Closed"}
        ),
        lambda actor, case: services.victim_context_save(
            actor=actor, victim=Victim.objects.get(case=case), fields={"age_group": "18--20"}
        ),
        lambda actor, case: services.route_events_replace(
            actor=actor, victim=Victim.objects.get(case=case), events=[]
        ),
        lambda actor, case: services.perpetrators_replace(actor=actor, case=case, perpetrators=[]),
    ],
)
def test_a_refused_service_write_leaves_its_denial_in_the_audit_log(region, write):
    case = Case.objects.get(reference="CO-TEST-1")
    before = _denials(case).count()
    with pytest.raises(NotAllowed):
        write(region.user("caseworker.pe"), case)
    assert _denials(case).count() == before + 1
    assert Case.objects.get(pk=case.pk).status == "Active"
