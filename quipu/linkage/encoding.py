"""Keyed tokens for exact identifiers and Bloom-filter encodings of names, birth dates and sex.

This is what leaves a country for the matcher (DESIGN.md rule 2): no plaintext, only
- an HMAC-SHA256 token per identifier (document with its issuing country, phone, e-mail...);
- per person, 1024-bit Bloom filters that are bit for bit clkhash's (schema v3, see
  clkhash_schema): padded bigrams for names, year, month and day as separate exact fields,
  sex as an exact field, double hashing (HMAC-SHA1 and HMAC-MD5, without the singularity)
  with two HKDF-SHA256 keys per field. One filter per field, for field-wise scoring, and
  their union, the record's CLK as clkhash and anonlink know it.
Every output carries the key id, so a key rotation can find what to re-encode.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from quipu.linkage.keys import LinkageKey, bloom_keys, token_key
from quipu.linkage.normalise import (
    NameParts,
    PartialDate,
    given_name_forms,
    identifier_value,
    sex_code,
)

SCHEMA_ID = "quipu-person-v1"
CLK_BITS = 1024
CLK_BYTES = CLK_BITS // 8
KDF_SALT = b"quipu/linkage/bloom/salt/v1"
KDF_INFO = b"quipu/linkage/bloom/v1"
KDF_KEY_SIZE = 64


@dataclass(frozen=True)
class BloomField:
    """One feature of the schema: how its value is cut into tokens and how often each is hashed."""

    name: str
    comparison: str  # "bigram" (clkhash ngram, n=2) or "exact"
    bits_per_token: int


# The order is part of the schema: clkhash derives the keys of the n-th field from it.
PERSON_FIELDS = (
    BloomField("given_names", "bigram", 15),
    BloomField("surnames", "bigram", 15),
    # Date parts are separate fields so that a partial date still shares what it knows.
    BloomField("birth_year", "exact", 30),
    BloomField("birth_month", "exact", 20),
    BloomField("birth_day", "exact", 20),
    BloomField("sex", "exact", 10),
)


@dataclass(frozen=True)
class IdentifierToken:
    kind: str
    token: str  # HMAC-SHA256, 64 hex digits
    key_id: str


@dataclass(frozen=True)
class PersonEncoding:
    """A person's CLK (all fields) and one filter per field that had a value."""

    clk: bytes
    fields: Mapping[str, bytes]
    key_id: str
    schema_id: str = SCHEMA_ID


def identifier_token(
    kind: str,
    value: str | None,
    *,
    key: LinkageKey,
    country: str | None = None,
    default_region: str | None = None,
) -> IdentifierToken | None:
    """The keyed token of an identifier, or None when the value does not normalise."""
    normalised = identifier_value(kind, value, country=country, default_region=default_region)
    if normalised is None:
        return None
    return IdentifierToken(
        kind=kind, token=keyed_token(kind, normalised, key=key), key_id=key.key_id
    )


def keyed_token(kind: str, normalised: str, *, key: LinkageKey) -> str:
    """HMAC-SHA256 of an already normalised value; the kind keeps equal digits of a phone and
    an account apart."""
    message = f"{kind}\x1f{normalised}".encode()
    return hmac.new(token_key(key), message, hashlib.sha256).hexdigest()


def person_feature_values(
    *, name: NameParts | None, birth_date: PartialDate | None, sex: str | None
) -> dict[str, str]:
    """The strings the Bloom filters are made from, one per field ("" when unknown); the same
    strings given to clkhash with clkhash_schema() give the same filters."""
    given = sorted({form for key in name.given for form in given_name_forms(key)}) if name else []
    year, month, day = birth_date if birth_date else (None, None, None)
    return {
        # Sorted and space-joined: with padded bigrams the order of words then cannot matter.
        "given_names": " ".join(given),
        "surnames": " ".join(sorted(set(name.surnames))) if name else "",
        "birth_year": f"{year:04d}" if year else "",
        "birth_month": f"{month:02d}" if month else "",
        "birth_day": f"{day:02d}" if day else "",
        "sex": sex_code(sex) or "",
    }


def person_encode(
    *, name: NameParts | None, birth_date: PartialDate | None, sex: str | None, key: LinkageKey
) -> PersonEncoding:
    """Bloom-filter encodings of a person's name, date of birth and sex."""
    values = person_feature_values(name=name, birth_date=birth_date, sex=sex)
    keys = bloom_keys(
        key, fields=len(PERSON_FIELDS), salt=KDF_SALT, info=KDF_INFO, key_size=KDF_KEY_SIZE
    )
    clk = bytearray(CLK_BYTES)
    fields: dict[str, bytes] = {}
    for spec, field_keys in zip(PERSON_FIELDS, keys, strict=True):
        tokens = field_tokens(spec, values[spec.name])
        if not tokens:
            continue  # unknown is not a disagreement: no filter at all
        bits = bloom_filter(tokens, field_keys, spec.bits_per_token)
        fields[spec.name] = bits
        clk = bytearray(x | y for x, y in zip(clk, bits, strict=True))
    return PersonEncoding(clk=bytes(clk), fields=fields, key_id=key.key_id)


def field_tokens(spec: BloomField, value: str) -> tuple[str, ...]:
    """clkhash's tokenisers: padded bigrams (" j", "jo", "os", "se", "e ") or the whole value."""
    if not value:
        return ()
    if spec.comparison == "exact":
        return (value,)
    padded = f" {value} "
    return tuple(padded[i : i + 2] for i in range(len(padded) - 1))


def bloom_filter(
    tokens: Iterable[str], keys: tuple[bytes, bytes], bits_per_token: int, size: int = CLK_BITS
) -> bytes:
    """Double hashing (Schnell 2011) as clkhash's non-singular doubleHash; bit 0 is the high bit
    of byte 0, as in bitarray's default (big-endian) order."""
    bits = bytearray(size // 8)
    for token in tokens:
        first, step = _double_hash(token.encode("utf-8"), keys[0], keys[1], size)
        for i in range(bits_per_token):
            index = (first + i * step) % size
            bits[index >> 3] |= 0x80 >> (index & 7)
    return bytes(bits)


@lru_cache(maxsize=2**15)
def _double_hash(token: bytes, key_sha1: bytes, key_md5: bytes, size: int) -> tuple[int, int]:
    # SHA-1 and MD5 only inside HMAC, where they are still sound; clkhash chose them.
    first = int.from_bytes(hmac.new(key_sha1, token, "sha1").digest(), "big") % size
    step = int.from_bytes(hmac.new(key_md5, token, "md5").digest(), "big") % size
    counter = 0
    while step == 0:  # a zero step would put every bit of the token in one place
        step = int.from_bytes(
            hmac.new(key_md5, token + chr(counter).encode(), "md5").digest(), "big"
        )
        step %= size
        counter += 1
    return first, step


def clkhash_schema() -> dict:
    """The clkhash linkage schema (v3) that describes PERSON_FIELDS."""
    features = []
    for spec in PERSON_FIELDS:
        comparison = (
            {"type": "ngram", "n": 2, "positional": False}
            if spec.comparison == "bigram"
            else {"type": "exact"}
        )
        features.append(
            {
                "identifier": spec.name,
                "format": {"type": "string", "encoding": "utf-8"},
                "hashing": {
                    "comparison": comparison,
                    "strategy": {"bitsPerToken": spec.bits_per_token},
                    "hash": {"type": "doubleHash", "prevent_singularity": True},
                },
            }
        )
    return {
        "version": 3,
        "clkConfig": {
            "l": CLK_BITS,
            "kdf": {
                "type": "HKDF",
                "hash": "SHA256",
                "salt": base64.b64encode(KDF_SALT).decode(),
                "info": base64.b64encode(KDF_INFO).decode(),
                "keySize": KDF_KEY_SIZE,
            },
        },
        "features": features,
    }


def pack_filters(filters: Sequence[bytes]) -> np.ndarray:
    """Filters of equal length as rows of uint64 words, for the Dice functions."""
    if any(len(bits) != len(filters[0]) or len(bits) % 8 for bits in filters):
        raise ValueError("filters must have one length, a multiple of 64 bits")
    words = len(filters[0]) // 8 if filters else CLK_BYTES // 8
    return np.frombuffer(b"".join(filters), dtype=np.uint64).reshape(-1, words)


def popcounts(packed: np.ndarray) -> np.ndarray:
    """Bits set in each row; compute once for candidates compared many times."""
    return np.bitwise_count(packed).sum(axis=1, dtype=np.int64)


def dice_one_to_many(
    query: bytes | np.ndarray, candidates: np.ndarray, *, candidate_counts: np.ndarray | None = None
) -> np.ndarray:
    """Dice coefficient 2|A∩B| / (|A|+|B|) of one filter against each packed candidate row;
    0 where both are empty."""
    row = pack_filters([query])[0] if isinstance(query, bytes) else query
    counts = popcounts(candidates) if candidate_counts is None else candidate_counts
    common = np.bitwise_count(candidates & row).sum(axis=1, dtype=np.int64)
    totals = counts + int(np.bitwise_count(row).sum())
    return np.divide(2 * common, totals, out=np.zeros(len(candidates)), where=totals > 0)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two filters."""
    return float(dice_one_to_many(a, pack_filters([b]))[0])
