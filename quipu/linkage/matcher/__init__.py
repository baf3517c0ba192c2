"""The matcher's only door to data (DESIGN.md rule 2: the matcher sees encodings only).

Everything under quipu/linkage/matcher/ reads the encodings tables through this module and
nothing else: no case models, no intake, no raw SQL. tests/linkage/test_storage.py checks
that statically (imports) and dynamically (the SQL it runs), so that a federated hub fed
with the same two tables could run the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

from quipu.linkage.models import IdentifierToken, PersonEncoding

GroupBy = Literal["country", "institution"]
CHUNK = 5000


class EncodedRecord(NamedTuple):
    """One person as the matcher sees it: an encoding id, never the person's id."""

    record_id: int  # PersonEncoding.id
    group: str  # the owner's country (or institution id), so matches can be cross-border
    clk: bytes  # 1024-bit Bloom encoding of names, date of birth and sex
    birth_year: int | None
    sex: str  # F, M or "" (not stated)
    tokens: frozenset[str]  # "kind:token", e.g. "phone:3fa9..."
    role: str  # victim or perpetrator
    key_id: str  # records with different key ids cannot be compared


def encoded_records(
    group_by: GroupBy = "country",
    *,
    role: str | None = None,
    key_id: str | None = None,
    chunk_size: int = CHUNK,
) -> Iterator[EncodedRecord]:
    """Every encoded person in id order, optionally of one role or key id; streamed in chunks
    of `chunk_size`, with two queries per chunk."""
    if group_by not in ("country", "institution"):
        raise ValueError(f"unknown grouping: {group_by}")
    encodings = PersonEncoding.objects.order_by("pk")
    if role is not None:
        encodings = encodings.filter(role=role)
    if key_id is not None:
        encodings = encodings.filter(key_id=key_id)
    group_field = "owner_country" if group_by == "country" else "owner_institution_id"
    last = 0
    while True:
        rows = list(
            encodings.filter(pk__gt=last).values_list(
                "pk", group_field, "clk", "birth_year", "sex", "role", "key_id"
            )[:chunk_size]
        )
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        tokens: dict[int, set[str]] = {}
        # A range, not an IN list: the chunk is contiguous in id order, and the (encoding_id)
        # index serves it; tokens of encodings filtered out above are skipped below.
        for encoding_id, kind, token in IdentifierToken.objects.filter(
            encoding_id__gte=first, encoding_id__lte=last
        ).values_list("encoding_id", "kind", "token"):
            tokens.setdefault(encoding_id, set()).add(f"{kind}:{token}")
        for pk, group, clk, birth_year, sex, record_role, record_key_id in rows:
            yield EncodedRecord(
                record_id=pk,
                group=str(group),
                clk=bytes(clk),  # PostgreSQL returns a memoryview
                birth_year=birth_year,
                sex=sex,
                tokens=frozenset(tokens.get(pk, ())),
                role=record_role,
                key_id=record_key_id,
            )
