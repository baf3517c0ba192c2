"""Multi-select picklist values stored in one text column, portable across SQLite and PostgreSQL.

HTCDS multi-selects are tri-state in real data (CTDC flags are 1, 0 or blank): a code can be
known present, known absent, or unknown. `CodeSet` keeps the first two; unknown is neither.
Stored as " +A +B -C " so that "has A" is `contains=" +A "` on either database.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models


@dataclass(frozen=True)
class CodeSet:
    present: frozenset[str] = field(default_factory=frozenset)
    absent: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, present=(), absent=()) -> "CodeSet":
        present = frozenset(present)
        return cls(present, frozenset(absent) - present)

    def __bool__(self) -> bool:
        return bool(self.present or self.absent)

    def state(self, code: str) -> bool | None:
        """True (present), False (known absent) or None (unknown)."""
        if code in self.present:
            return True
        if code in self.absent:
            return False
        return None

    def dump(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The stored form, worked out once: parsers share one CodeSet between many rows."""
        if not self:
            return ""
        tokens = [f"+{c}" for c in sorted(self.present)] + [f"-{c}" for c in sorted(self.absent)]
        return f" {' '.join(tokens)} "

    @classmethod
    def load(cls, text: str | None) -> "CodeSet":
        present, absent = set(), set()
        for token in (text or "").split():
            (present if token[0] == "+" else absent).add(token[1:])
        return cls(frozenset(present), frozenset(absent))


def has_code(field_name: str, code: str) -> models.Q:
    """A filter for rows where `code` is present in the CodeSet column `field_name`."""
    return models.Q(**{f"{field_name}__contains": f" +{code} "})


class CodeSetField(models.TextField):
    def __init__(self, *args, vocabulary: str = "", **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return CodeSet.load(value)

    def to_python(self, value):
        if isinstance(value, CodeSet):
            return value
        if isinstance(value, list | tuple | set | frozenset):
            return CodeSet.of(value)
        return CodeSet.load(value)

    def get_prep_value(self, value):
        if isinstance(value, CodeSet):
            return value.dump()
        if isinstance(value, list | tuple | set | frozenset):
            return CodeSet.of(value).dump()
        return value or ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))
