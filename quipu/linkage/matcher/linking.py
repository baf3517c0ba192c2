"""Cross-border linking of the stored encodings: everything at once, or new records only.

Record ids here are encoding ids (as strings, Splink's unique ids); the caller maps them to
owners. Nothing in this module sees a person id or a plaintext value (DESIGN.md rule 2).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from quipu.linkage import scoring
from quipu.linkage.matcher import EncodedRecord, encoded_records


@dataclass(frozen=True)
class Linkage:
    pairs: list[scoring.ScoredPair]  # cross-border pairs, lower encoding id on the left
    records: int  # records compared (all of them, or the new ones)
    model: dict | None  # the trained parameters used, None when there was nothing to train


def link_all(
    *,
    key_id: str,
    threshold: float,
    backend: str = "duckdb",
    progress: scoring.Progress | None = None,
) -> Linkage:
    """Train on every encoding made with `key_id` and score every cross-border pair."""
    records = _scoring_records(encoded_records(key_id=key_id))
    if len({record.group for record in records}) < 2:
        return Linkage(pairs=[], records=len(records), model=None)
    model = scoring.encoded_model(records, backend=backend)
    pairs = scoring.link_encoded(
        records, backend=backend, threshold=threshold, progress=progress, model=model
    )
    return Linkage(pairs=_ordered(pairs), records=len(records), model=model)


def link_identifiers(*, key_id: str, threshold: float) -> Linkage:
    """Only the cross-border pairs that share an identifier token, with no model: seconds
    where a full run takes minutes. Its pairs are scored as a full run scores them at the
    least; the full run that follows refines them and adds pairs found by names alone."""
    records = _scoring_records(encoded_records(key_id=key_id))
    if threshold > scoring.TOKEN_LINK_PROBABILITY:
        return Linkage(pairs=[], records=len(records), model=None)
    return Linkage(pairs=_ordered(scoring.link_tokens(records)), records=len(records), model=None)


def link_new(
    encoding_ids: Collection[int],
    *,
    key_id: str,
    model: dict,
    threshold: float,
    backend: str = "duckdb",
) -> Linkage:
    """Score these (new or changed) encodings against all others with a trained model; no
    training, so a single record is scored as it would be in a full run."""
    everyone = _scoring_records(encoded_records(key_id=key_id))
    wanted = {str(pk) for pk in encoding_ids}
    new = [record for record in everyone if record.record_id in wanted]
    if not new:
        return Linkage(pairs=[], records=0, model=model)
    country = {record.record_id: record.group for record in everyone}
    pairs = scoring.link_encoded(new, everyone, backend=backend, threshold=threshold, model=model)
    cross_border = [pair for pair in pairs if country[pair.left_id] != country[pair.right_id]]
    return Linkage(pairs=_ordered(cross_border), records=len(new), model=model)


def _scoring_records(records: Iterable[EncodedRecord]) -> list[scoring.EncodedRecord]:
    return [
        scoring.EncodedRecord(
            record_id=str(record.record_id),
            group=record.group,
            clk=record.clk,
            birth_year=record.birth_year,
            sex=record.sex or None,
            tokens=record.tokens,
        )
        for record in records
    ]


def _ordered(pairs: Iterable[scoring.ScoredPair]) -> list[scoring.ScoredPair]:
    """One pair per couple of encodings, lower id first, the higher probability kept."""
    best: dict[tuple[str, str], scoring.ScoredPair] = {}
    for pair in pairs:
        low, high = sorted((pair.left_id, pair.right_id), key=int)
        key = (low, high)
        if key not in best or pair.match_probability > best[key].match_probability:
            best[key] = scoring.ScoredPair(low, high, pair.match_probability, pair.components)
    return sorted(best.values(), key=lambda p: (-p.match_probability, int(p.left_id)))
