"""JITs opened through the real services; attachments kept in the test's own directory."""

from datetime import date

import pytest

from quipu.cooperation.jits.models import Jit
from quipu.cooperation.jits.services import jit_open, membership_answer


@pytest.fixture(autouse=True)
def attachments_in_tmp(settings, tmp_path):
    directory = tmp_path / "attachments"
    directory.mkdir()
    settings.QUIPU_ATTACHMENTS_DIR = str(directory)
    return directory


def jit_proposed(region, *, by: str = "prosecutor.co", invite=("VE-PROSECUTOR",), lead="CO"):
    return jit_open(
        actor=region.user(by),
        name="Operación Cordillera",
        lead_country=lead,
        legal_basis="ibero_american",
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 10, 31),
        invite=[region.institution(code) for code in invite],
    )


def jit_active(region, **kwargs) -> Jit:
    jit = jit_proposed(region, **kwargs)
    membership_answer(actor=region.user("prosecutor.ve"), jit=jit, action="accept")
    jit.refresh_from_db()
    return jit


@pytest.fixture
def proposed(region) -> Jit:
    return jit_proposed(region)


@pytest.fixture
def active(region) -> Jit:
    return jit_active(region)
