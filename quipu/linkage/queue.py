"""The match-notice queue: the user's sides of notices filtered, sorted and gathered into
groups, so that one person matched in five countries is one item to review, not five.

A group is the notices of one cluster (runs._clusters_refresh): one phone or one person seen
in several countries. Everything here starts from selectors.reviewable_sides, so held notices
and notices under the consular seal never show, and it is computed in SQL with a fixed number
of queries per page, however many notices the country has. Lists are ordered by band, date,
country or size, never by the matcher's score (docs/threat-model-notices.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import get_language

from quipu.linkage.evidence import BAND_ORDER, Band
from quipu.linkage.models import MatchNoticeSide, PersonEncoding, Role
from quipu.linkage.selectors import TABS, reviewable_sides
from quipu.tenancy.models import Country

PERSON_BANDS = (Band.STRONG, Band.NAME)  # a person match: names and dates agreed
KINDS = {"person": PERSON_BANDS, "identifier": (Band.IDENTIFIER,)}
SORTS = ("band", "newest", "oldest", "country", "size")
MEMBERS_SHOWN = 10  # notices listed inside a collapsed group; the group page lists them all


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows, from the page's GET parameters: codes only, no personal data."""

    tab: str = "todo"
    role: str = ""  # victim | perpetrator: the role of the user's own record
    band: str = ""  # strong | name | identifier
    kind: str = ""  # person | identifier
    country: str = ""  # the other country's ISO code
    sort: str = "band"

    def __post_init__(self) -> None:
        if (
            self.tab not in TABS
            or self.role not in ("", *Role.values)
            or self.band not in ("", *Band.values)
            or self.kind not in ("", *KINDS)
            or self.sort not in SORTS
            or (self.country and not (len(self.country) == 2 and self.country.isalpha()))
        ):
            raise ValueError("unknown queue filter")


@dataclass
class NoticeGroup:
    """One item of the queue: a group of the user's sides (or a single side)."""

    key: int
    size: int
    band: str  # the strongest band among its notices
    newest: object
    oldest: object
    first_side_id: int
    countries: list = field(default_factory=list)  # the other countries, by name
    members: list[MatchNoticeSide] = field(default_factory=list)  # the first MEMBERS_SHOWN


def band_rank():
    """Strongest band first (evidence.BAND_ORDER) as an integer the database can sort on."""
    return Case(
        *(When(notice__band=band, then=Value(i)) for i, band in enumerate(BAND_ORDER)),
        default=Value(len(BAND_ORDER)),
        output_field=IntegerField(),
    )


def group_key():
    """The group a side belongs to: its notice's cluster, or itself (a negative key) when the
    notice has none."""
    return Coalesce(F("notice__cluster_key"), Value(0) - F("pk"))


def _other_side(column: str) -> Subquery:
    """A column of the other owner's side of the same notice (a notice has two sides)."""
    others = MatchNoticeSide.objects.filter(notice_id=OuterRef("notice_id")).exclude(
        pk=OuterRef("pk")
    )
    return Subquery(others.values(column)[:1])


def _country_name_column() -> str:
    language = (get_language() or "es")[:2]
    return f"institution__country__name_{language if language in ('es', 'pt') else 'en'}"


def _filtered(*, user, filters: QueueFilters) -> QuerySet[MatchNoticeSide]:
    """The user's sides under every filter but the tab."""
    sides = reviewable_sides(user)
    if filters.role:
        sides = sides.filter(
            encoding_id__in=PersonEncoding.objects.filter(role=filters.role).values("pk")
        )
    if filters.band:
        sides = sides.filter(notice__band=filters.band)
    if filters.kind:
        sides = sides.filter(notice__band__in=KINDS[filters.kind])
    if filters.country:
        country = filters.country.upper()
        theirs = MatchNoticeSide.objects.filter(institution__country_id=country)
        sides = sides.filter(notice_id__in=theirs.values("notice_id")).exclude(
            institution__country_id=country
        )
    return sides


def queue_sides(*, user, filters: QueueFilters) -> QuerySet[MatchNoticeSide]:
    """The user's sides in the queue's tab under its filters (unordered)."""
    return _filtered(user=user, filters=filters).filter(**TABS[filters.tab])


def queue_tab_counts(*, user, filters: QueueFilters) -> dict[str, int]:
    """How many of the user's sides each tab holds under the same filters, in one query."""
    counts = {tab: Count("pk", filter=Q(**lookup)) for tab, lookup in TABS.items()}
    return _filtered(user=user, filters=filters).aggregate(**counts)


def queue_groups(*, user, filters: QueueFilters) -> QuerySet[dict]:
    """One row per group of the user's sides in the queue: key, size, strongest band (as a
    rank), newest and oldest date, first side, and the first other country by name (for the
    country sort); ordered as `filters.sort` asks. Paginate it, then call `groups_detail`."""
    rows = (
        queue_sides(user=user, filters=filters)
        .annotate(other_country_name=_other_side(_country_name_column()))
        .values(group=group_key())
        .annotate(
            size=Count("pk"),
            rank=Min(band_rank()),
            newest=Max("notice__created_at"),
            oldest=Min("notice__created_at"),
            first_side=Min("pk"),
            country_name=Min("other_country_name"),
        )
    )
    order = {
        "band": ("rank", "-newest", "-first_side"),
        "newest": ("-newest", "-first_side"),
        "oldest": ("oldest", "first_side"),
        "country": ("country_name", "rank", "-newest", "-first_side"),
        "size": ("-size", "rank", "-newest", "-first_side"),
    }[filters.sort]
    return rows.order_by(*order)


def groups_detail(*, user, filters: QueueFilters, rows: list[dict]) -> list[NoticeGroup]:
    """The page's groups with their other countries and first members: two queries, however
    many groups the page has and however large they are."""
    groups = {
        row["group"]: NoticeGroup(
            key=row["group"],
            size=row["size"],
            band=BAND_ORDER[row["rank"]] if row["rank"] < len(BAND_ORDER) else "",
            newest=row["newest"],
            oldest=row["oldest"],
            first_side_id=row["first_side"],
        )
        for row in rows
    }
    if not groups:
        return []
    clusters = [key for key in groups if key > 0]
    singles = [-key for key in groups if key < 0]
    in_page = (
        queue_sides(user=user, filters=filters)
        .filter(Q(notice__cluster_key__in=clusters) | Q(pk__in=singles))
        .annotate(group=group_key())
    )
    countries: dict[int, set[str]] = {}
    for key, code in in_page.annotate(
        other_country=_other_side("institution__country_id")
    ).values_list("group", "other_country"):
        if code:
            countries.setdefault(key, set()).add(code)
    names = _country_names({code for codes in countries.values() for code in codes})
    members = (
        in_page.select_related("notice", "institution__country")
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[group_key()],
                order_by=[band_rank().asc(), F("pk").desc()],
            )
        )
        .filter(place__lte=MEMBERS_SHOWN)
        .order_by("place")
    )
    for side in members:
        groups[side.group].members.append(side)
    for key, group in groups.items():
        group.countries = sorted(names[code] for code in countries.get(key, ()))
    return list(groups.values())


def _country_names(codes: set[str]) -> dict[str, str]:
    return {country.code: country.name for country in Country.objects.filter(code__in=codes)}
