"""Writing a victim's identifiers re-encodes that person for cross-border matching."""

import pytest

from quipu.cases import services
from quipu.cases.models import Case, Victim
from quipu.linkage.models import IdentifierToken
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db


def test_a_new_phone_reaches_the_encodings_after_commit(
    region, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", "k" * 40)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "linkage.key"))
    victim = Victim.objects.get(case=Case.objects.get(reference="CO-TEST-1"))
    with django_capture_on_commit_callbacks(execute=True):
        services.identifiers_replace(
            actor=region.user("caseworker.co"),
            victim=victim,
            identifiers=[{"kind": "phone", "value": "+573005550142"}],
        )
    background_tasks_run()
    tokens = IdentifierToken.objects.filter(encoding__person_id=victim.person_id)
    assert list(tokens.values_list("kind", flat=True)) == ["phone"]
    assert "573005550142" not in tokens.get().token
