"""Identifier hits (DESIGN.md rule 1(a) and §7): a shared identifier whose holders' names do
not agree is a link between cases, not a claim that two persons are one. It is reported once
per identifier and pair of countries: a second record carrying the same phone in the same
country makes no new notice, so a probe repeated with the phone learns nothing more."""

from __future__ import annotations

import hashlib

from quipu.linkage import scoring
from quipu.linkage.evidence import Band, band_of
from quipu.linkage.models import IdentifierToken, MatchNotice

Pair = tuple[int, int]
REPORTED = (MatchNotice.Status.PENDING, MatchNotice.Status.LINKED, MatchNotice.Status.HELD)


def hit_keys(found: dict[Pair, scoring.ScoredPair], countries: dict[int, str]) -> dict[Pair, str]:
    """For each identifier-hit pair, a digest of its shared token and its two countries."""
    hits = [pair for pair, scored in found.items() if band_of(scored.components) == Band.IDENTIFIER]
    tokens: dict[int, set[str]] = {}
    rows = IdentifierToken.objects.filter(encoding_id__in={pk for pair in hits for pk in pair})
    for encoding_id, token in rows.values_list("encoding_id", "token"):
        tokens.setdefault(encoding_id, set()).add(token)
    keys = {}
    for low, high in hits:
        shared = tokens.get(low, set()) & tokens.get(high, set())
        if shared:
            pair_of_countries = "|".join(sorted((countries[low], countries[high])))
            digest = hashlib.sha256(f"{min(shared)}|{pair_of_countries}".encode()).hexdigest()
            keys[(low, high)] = digest
    return keys


def hits_once(
    found: dict[Pair, scoring.ScoredPair],
    keys: dict[Pair, str],
    *,
    existing: set[Pair],
    full_run: bool,
) -> dict[Pair, scoring.ScoredPair]:
    """`found` less the identifier hits already reported: by an open notice of another pair
    (on a full run, one found again), or by an earlier pair of this run. Pairs that already
    have a notice go first, so a rerun keeps the notice the focal points already have."""
    reported: dict[str, set[Pair]] = {}
    for key, low, high in MatchNotice.objects.filter(
        hit_key__in=set(keys.values()), status__in=REPORTED
    ).values_list("hit_key", "encoding_low", "encoding_high"):
        if not full_run or (low, high) in found:
            reported.setdefault(key, set()).add((low, high))
    kept, seen = {}, set()
    for pair in sorted(found, key=lambda pair: (pair not in existing, pair)):
        key = keys.get(pair)
        if key is not None:
            if reported.get(key, {pair}) - {pair} or key in seen:
                continue
            seen.add(key)
        kept[pair] = found[pair]
    return kept
