"""The vocabulary of the permission matrix (tests/tenancy/test_permission_matrix.py).

An app with routes of its own may declare them in `tests/<app>/matrix.py`: a ROUTES dict of
Route rules and, for routes that take a record, a RECORDS dict of kind -> builder(country).
"""

from dataclasses import dataclass, field

ANY = "any signed-in user"
PUBLIC = "anyone, signed in or not"
COUNTRY_ROLES = ("focal_point", "caseworker", "prosecutor", "consular_officer", "analyst")
USERNAME = {
    "focal_point": "focal",
    "caseworker": "caseworker",
    "prosecutor": "prosecutor",
    "consular_officer": "consul",
    "analyst": "analyst",
}
ADMINS = frozenset({"secretariat", "focal_point"})
SECRETARIAT = frozenset({"secretariat"})
CASE_READERS = frozenset({"focal_point", "caseworker", "prosecutor", "analyst"})
CASE_WRITERS = frozenset({"focal_point", "caseworker"})
PERSONAL_READERS = frozenset({"focal_point", "caseworker", "prosecutor"})


@dataclass(frozen=True)
class Route:
    who: frozenset[str] | str  # roles allowed, or ANY / PUBLIC
    obj: str = ""  # "user", "institution" or "country": the route takes a record's id
    ok: tuple[int, ...] = (200,)  # what an allowed request answers
    kwargs: dict = field(default_factory=dict)


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)
