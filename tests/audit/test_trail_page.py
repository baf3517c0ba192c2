"""Focal points see the audit trail of their own country's records, and nothing else."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action
from quipu.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_focal_point_sees_their_countrys_records_only(login, region):
    audit_record(
        actor=region.user("prosecutor.co"), action=Action.READ, obj=region.user("caseworker.co")
    )
    audit_record(
        actor=region.user("prosecutor.ve"), action=Action.READ, obj=region.user("caseworker.ve")
    )
    page = login("focal.co").get(reverse("audit:trail")).content.decode()
    assert "prosecutor.co" in page
    assert "prosecutor.ve" not in page


def test_trail_filters_by_action(login, region):
    audit_record(
        actor=region.user("prosecutor.co"), action=Action.READ, obj=region.user("caseworker.co")
    )
    audit_record(
        actor=region.user("prosecutor.co"), action=Action.EXPORT, obj=region.user("analyst.co")
    )
    page = login("focal.co").get(reverse("audit:trail"), {"action": "export"}).content.decode()
    assert f"#{region.user('analyst.co').pk}" in page
    assert f"#{region.user('caseworker.co').pk}" not in page


def test_other_roles_are_refused_and_the_refusal_is_audited(login, region):
    from quipu.audit.models import AuditEntry

    response = login("prosecutor.co").get(reverse("audit:trail"))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_username="prosecutor.co").exists()
