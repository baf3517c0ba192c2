"""A focal point is told of a new signed checkpoint of the audit log, follows the notification
and downloads the checkpoint and the public key, as they would to keep a copy (issue 13, 10)."""

import pytest

from quipu.audit.models import Action
from quipu.audit.services import audit_checkpoint_issue, audit_record
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_focal_point_follows_the_checkpoint_notification_and_keeps_a_copy(page, region, tmp_path):
    audit_record(actor=None, action=Action.BAD_REQUEST, detail={"reason": "browser test"})
    checkpoint = audit_checkpoint_issue()
    sign_in(page, "focal.co")

    page.locator("a.bell").click()
    page.get_by_role(
        "link", name="Hay un nuevo punto de control firmado del registro de auditoría"
    ).first.click()
    page.wait_for_url("**/audit/checkpoints/")
    assert page.locator("h1").inner_text() == "Puntos de control del registro de auditoría"

    with page.expect_download() as download:
        page.get_by_role("link", name=checkpoint.name).click()
    kept = tmp_path / "kept.json"
    download.value.save_as(kept)
    assert kept.read_bytes() == checkpoint.read_bytes()

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar la clave pública").click()
    assert download.value.suggested_filename.endswith(".pem")
