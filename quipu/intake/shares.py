"""Which countries an import's rows concern, counted before anything is written.

A national institution's file whose rows mostly concern other countries, or any CTDC file
(pooled, multi-country data that belongs to a regional institution), is written only once
the user confirms that the rows are the institution's cases. See docs/decisions.md,
2026-12-06 ("An import mostly about other countries waits for a confirmation").
"""

from collections import Counter
from dataclasses import dataclass, field

from babel.numbers import format_percent
from django.utils.translation import get_language, gettext, to_locale

from quipu.intake.records import CaseRecord
from quipu.tenancy.models import Country, Institution, InstitutionKind

TOP = 3  # countries named per list on the confirmation
POOLED_FORMATS = frozenset({"ctdc"})  # CTDC's files pool many countries' data


@dataclass
class CountryTally:
    """Counts per row: a row concerns a country if a victim or perpetrator is its citizen or
    a step of a victim's route (recruitment, transit, exploitation) took place there."""

    country: str | None  # the owner's country; None for a regional institution
    rows: int = 0
    own: int = 0  # rows that concern the owner's country
    foreign: int = 0  # rows with a known country, none of them the owner's
    exploitation: Counter = field(default_factory=Counter)  # rows by country of exploitation
    citizenship: Counter = field(default_factory=Counter)  # rows by citizenship

    def add(self, record: CaseRecord) -> None:
        self.rows += 1
        places: set[str] = set()
        exploited: set[str] = set()
        citizens: set[str] = set()
        for person in record.people:
            if code := person.person.get("citizenship_id"):
                citizens.add(code)
            for event in person.route_events:
                if code := event.get("country_id"):
                    places.add(code)
                    if event.get("event_type") == "Exploitation":
                        exploited.add(code)
        concerned = places | citizens
        if self.country in concerned:
            self.own += 1
        elif concerned:
            self.foreign += 1
        self.exploitation.update(exploited)
        self.citizenship.update(citizens)

    def check(self, format_name: str) -> dict:
        """What the job keeps: codes and counts only, never a value of a row."""

        def top(counts: Counter) -> list[list]:
            others = [(code, n) for code, n in counts.most_common() if code != self.country]
            return [[code, n] for code, n in others[:TOP]]

        return {
            "country": self.country or "",
            "format": format_name,
            "rows": self.rows,
            "own": self.own,
            "foreign": self.foreign,
            "exploitation": top(self.exploitation),
            "citizenship": top(self.citizenship),
        }


def confirmation_needed(check: dict) -> bool:
    """Whether the rows must be confirmed as the institution's cases before any is written:
    more than half of the rows with a known country concern only other countries, or the
    file is a pooled CTDC dataset. A regional institution's imports are never held."""
    if not check.get("country"):
        return False
    known = check["own"] + check["foreign"]
    return check["format"] in POOLED_FORMATS or check["foreign"] * 2 > known


def confirmation_applies(owner: Institution, foreign_confirmed: bool) -> bool:
    """Whether an import into `owner` is checked at all (so PostgreSQL reads the file twice)."""
    return bool(owner.country_id) and not foreign_confirmed


def percent(share: float) -> str:
    """A share in the reader's locale: whole percents, one decimal under 1 %."""
    locale = to_locale(get_language() or "es")
    if 0 < share < 0.0005:
        return "< " + format_percent(0.001, locale=locale, decimal_quantization=False)
    digits = 2 if share >= 0.01 or share == 0 else 3
    return format_percent(round(share, digits), locale=locale, decimal_quantization=False)


def pooled_dataset_holders():
    """Regional institutions that hold pooled, multi-country datasets (IOM's CTDC)."""
    return Institution.objects.filter(
        kind=InstitutionKind.INTERNATIONAL, country__isnull=True, is_active=True
    ).order_by("name")


def shares_presented(check: dict, owner: Institution) -> dict:
    """The check in the reader's language: shares, top countries by name, and one sentence
    that says it all (for the API and the command line)."""
    rows = max(check.get("rows", 0), 1)
    codes = {code for key in ("exploitation", "citizenship") for code, _n in check.get(key, [])}
    names = {c.code: c.name for c in Country.objects.filter(code__in=codes | {check["country"]})}

    def listed(key: str) -> list[dict]:
        return [
            {"country": names.get(code, code), "share": percent(n / rows)}
            for code, n in check.get(key, [])
        ]

    holder = pooled_dataset_holders().first()
    presented = {
        "rows": check.get("rows", 0),
        "foreign_share": percent(check.get("foreign", 0) / rows),
        "own_share": percent(check.get("own", 0) / rows),
        "country": names.get(check["country"], check["country"]),
        "institution": owner.name,
        "exploitation": listed("exploitation"),
        "citizenship": listed("citizenship"),
        "pooled": check.get("format") in POOLED_FORMATS,
        "pooled_holder": holder.name if holder else "",
    }
    presented["summary"] = _summary(presented)
    return presented


def _summary(shown: dict) -> str:
    text = gettext(
        "%(foreign)s of the rows concern only other countries; %(own)s concern %(country)s."
    ) % {"foreign": shown["foreign_share"], "own": shown["own_share"], "country": shown["country"]}
    if shown["exploitation"]:
        text += " " + gettext("Exploited in: %(list)s.") % {"list": _listing(shown["exploitation"])}
    if shown["citizenship"]:
        text += " " + gettext("Citizens of: %(list)s.") % {"list": _listing(shown["citizenship"])}
    if shown["pooled"]:
        text += " " + gettext(
            "This is a CTDC file: pooled datasets from many countries belong to a regional "
            "institution (%(holder)s), not to a national one."
        ) % {"holder": shown["pooled_holder"] or "IOM"}
    text += " " + gettext("Confirm that these are cases of %(institution)s.") % {
        "institution": shown["institution"]
    }
    return text


def _listing(entries: list[dict]) -> str:
    return ", ".join(f"{entry['country']} {entry['share']}" for entry in entries)
