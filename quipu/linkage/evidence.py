"""What a match notice may say about why two records met: a coarse band of the kinds of
evidence that agreed (DESIGN.md rule 1(a); threat model in docs/threat-model-notices.md).

The matcher's components (a Dice score, year and sex agreement, the kind of a shared token)
stay in the matcher. A notice keeps only which of two kinds of evidence agreed: a shared
identifier, and similar names and dates of birth. It never says what disagreed, nor any
score, so a probe record cannot learn the other record's sex, year of birth or name.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

IDENTIFIER, NAME = "identifier", "name"
# A shared token links on its own; names count as agreeing only when their encodings are
# this close (the LSH blocking's design point), so a wrong name next to a right phone reads
# as an identifier hit, not as a strong match.
NAME_AGREES_FROM = 0.8


class Band(models.TextChoices):
    STRONG = "strong", _("Strong: a shared identifier, and similar names and dates of birth")
    IDENTIFIER = (
        "identifier",
        _(
            "Identifier hit: a shared identifier (a link between cases, not a claim that the two "
            "are one person)"
        ),
    )
    NAME = "name", _("Probable: similar names and dates of birth")


# Strongest first: the inbox lists notices in this order, never by score.
BAND_ORDER = (Band.STRONG, Band.NAME, Band.IDENTIFIER)


def band_of(components: dict) -> str:
    """The coarse band of a scored pair, from the matcher's components."""
    shared_identifier = bool(components.get("token"))
    if not shared_identifier:
        # Without a shared token only the encoded names and dates can have carried the pair.
        return Band.NAME
    if (components.get("name_dob_dice") or 0.0) >= NAME_AGREES_FROM:
        return Band.STRONG
    return Band.IDENTIFIER


def identifier_kind_of(components: dict) -> str:
    """The kind of the shared identifier (phone, document...), shown only after both sides
    confirmed and agreed to reveal it (see review.py)."""
    return str(components.get("token") or "")
