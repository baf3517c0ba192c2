"""Reads of cases, always starting from the permission layer."""

import re
from collections.abc import Iterable
from contextlib import suppress
from functools import partial

import phonenumbers
from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from quipu.cases.fields import has_code
from quipu.cases.models import Case, Identifier, Perpetrator, Person, RouteEvent, Victim
from quipu.cases.search_index import COUNTRY_MARK, case_ids_containing, fold
from quipu.cases.validation import document_normalised, email_normalised, phone_e164
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import personal_readable, principal_for, scoped
from quipu.tenancy.roles import Capability


def cases_visible_to(*, user) -> QuerySet[Case]:
    """Cases `user` may list. Every role that reads cases also reads them de-identified, at the
    same scope; whether a case's personal fields show is `user_reads_personal`."""
    queryset = Case.objects.select_related("owner", "owner__country")
    return scoped(user, queryset, Capability.READ_DEIDENTIFIED)


def cases_personal_to(*, user) -> QuerySet[Case]:
    """Cases whose personal fields `user` may read (rule 7: decided per case, by
    `personal_readable`); a subset of `cases_visible_to`, never widened by a second role."""
    return personal_readable(user, Case.objects.all())


def user_reads_personal(*, user, case: Case) -> bool:
    return personal_readable(user, Case.objects.filter(pk=case.pk)).exists()


AGE_GROUPS = {
    "minor": ["0--8", "9--17"],
    "adult": ["18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"],
}


def cases_filtered(*, user, filters: dict) -> QuerySet[Case]:
    """The visible cases narrowed by the list filters (each optional)."""
    cases = cases_visible_to(user=user)
    victims = Victim.objects.filter(case=OuterRef("pk"))
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if kind := filters.get("kind"):
        cases = cases.filter(kind=kind)
    if year_from := filters.get("year_from"):
        cases = cases.filter(registration_year__gte=year_from)
    if year_to := filters.get("year_to"):
        cases = cases.filter(registration_year__lte=year_to)
    if sex := filters.get("gender"):
        cases = cases.filter(Exists(victims.filter(person__gender=sex)))
    if age_group := filters.get("age_group"):
        groups = AGE_GROUPS.get(age_group, [age_group])
        cases = cases.filter(Exists(victims.filter(age_group__in=groups)))
    if exploitation := filters.get("exploitation"):
        cases = cases.filter(Exists(victims.filter(has_code("exploitation_types", exploitation))))
    if citizenship := filters.get("citizenship"):
        cases = cases.filter(Exists(victims.filter(person__citizenship_id=citizenship)))
    if exploited_in := filters.get("exploited_in"):
        events = RouteEvent.objects.filter(
            victim__case=OuterRef("pk"), event_type="Exploitation", country_id=exploited_in
        )
        cases = cases.filter(Exists(events))
    if text := (filters.get("q") or "").strip():
        cases = _search(user, cases, text)
    return cases


def _search(user, cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """`cases` narrowed to those the words find, in the search index (search_index.py): every
    word must be in the case's public text (reference, places) or, only in the cases whose
    personal data the user may read, in its names and identifiers (rule 7: per case, not per
    user, so a caseworker who is also an analyst finds the country's cases by reference or
    place, never by another institution's victim's name). The whole text may also read as an
    identifier: a phone typed as people write it, for any member state, or a document number
    without its punctuation."""
    readable = personal_readable(user, Case.objects.order_by())  # rule 7, per case
    found = Q()
    # Each condition is one IN over a union of id subqueries that the search index answers, so
    # the database looks up the few cases found instead of testing every case in scope.
    for word in [fold(w).replace(COUNTRY_MARK, "") for w in text.split()[:8]]:
        if not word:
            continue
        places = [f"{COUNTRY_MARK}{code}" for code in _countries_named(word)]
        public = case_ids_containing("public", [word, *places])
        personal = readable.filter(pk__in=case_ids_containing("personal", [word]))
        found &= Q(pk__in=public.union(personal.values("pk")))
    if forms := search_identifier_forms(text, region=principal_for(user).country_id):
        identified = readable.filter(pk__in=case_ids_containing("personal", forms))
        found |= Q(pk__in=identified.values("pk"))
    return cases.filter(found)


def _countries_named(word: str) -> list[str]:
    """Codes (lower case) of the countries whose name in es, pt or en holds `word`; words of
    fewer than three letters name no country ("co" would find Marruecos, Congo, Colombia...)."""
    if len(word) < 3:
        return []
    names = Country.objects.values_list("code", "name_es", "name_pt", "name_en")
    return [code.lower() for code, *named in names if any(word in fold(n) for n in named)]


PHONE_TYPED = re.compile(r"^[+\d\s().\-/]+$")
MIN_IDENTIFIER = 7  # digits or characters: shorter forms would find far too much


def search_identifier_forms(text: str, *, region: str | None) -> set[str]:
    """What `text` can be found as in the index's personal text when it is an identifier:
    - a phone: its national significant number as read in each member state (and the user's
      own), and its digits without leading zeros, so "0414 555 1234", "414 555 1234" and
      "+58 414 5551234" all find +584145551234 whoever searches;
    - a document: its letters and digits alone, in lower case."""
    forms = set()
    text = text.strip()
    if PHONE_TYPED.match(text):
        digits = re.sub(r"\D", "", text)
        forms.add(digits.lstrip("0"))
        for member in sorted({*_member_regions(), region or "ZZ"}):
            with suppress(phonenumbers.NumberParseException):
                number = phonenumbers.parse(text, member)
                if phonenumbers.is_possible_number(number):
                    forms.add(phonenumbers.national_significant_number(number))
    folded = fold(text)
    if any(c.isdigit() for c in folded):
        forms.add(re.sub(r"[^0-9a-z]", "", folded))
    return {form for form in forms if len(form) >= MIN_IDENTIFIER}


def _member_regions() -> list[str]:
    return list(Country.objects.filter(is_member=True).values_list("code", flat=True))


def identifier_forms(text: str, *, region: str | None) -> set[str]:
    """What `text` is stored as if it is an identifier: a phone number in E.164, a document
    number without spaces or punctuation (one with a digit: not a surname), an e-mail address
    in lower case."""
    forms = set()
    for normalise in (partial(phone_e164, region=region), document_normalised, email_normalised):
        with suppress(ValidationError):
            forms.add(normalise(text))
    return {form for form in forms if any(c.isdigit() for c in form) or "@" in form}


# Records of the cases (persons, route events, identifiers), as the API lists them. Each starts
# from the permission layer with the record's own ownership: a person and its identifiers belong
# to the institution that owns its cases (the writers give a case's people the case's owner).


def _in_a_case(person: str) -> Q:
    """`person` (a path to a person id) is a victim or a perpetrator in some case.

    IN over the two id lists, not EXISTS per row: under OR, PostgreSQL runs two correlated
    EXISTS for every person of the scope (the persons list's COUNT spent its time there),
    while an IN list is hashed once (SQLite builds one index for it)."""
    return Q(**{f"{person}__in": Victim.objects.values("person_id")}) | Q(
        **{f"{person}__in": Perpetrator.objects.values("person_id")}
    )


def case_people() -> QuerySet[Person]:
    """Every victim and perpetrator, unscoped: the base that `persons_visible_to` narrows, and
    what a detail lookup hands to `get_visible_or_404` so that a foreign row is audited."""
    return (
        Person.objects.filter(_in_a_case("pk"))
        .select_related("owner")
        .prefetch_related(
            Prefetch("victim_contexts", queryset=Victim.objects.only("id", "case_id", "person_id")),
            Prefetch(
                "perpetrator_contexts",
                queryset=Perpetrator.objects.only("id", "case_id", "person_id"),
            ),
        )
    )


def persons_visible_to(*, user) -> QuerySet[Person]:
    """People of the cases `user` may read, at the same scope as `cases_visible_to`."""
    return scoped(user, case_people(), Capability.READ_DEIDENTIFIED)


def persons_filtered(*, user, filters: dict) -> QuerySet[Person]:
    people = persons_visible_to(user=user)
    if case := filters.get("case"):
        people = people.filter(
            Q(Exists(Victim.objects.filter(person_id=OuterRef("pk"), case_id=case)))
            | Q(Exists(Perpetrator.objects.filter(person_id=OuterRef("pk"), case_id=case)))
        )
    return people


def case_route_events() -> QuerySet[RouteEvent]:
    """Every route event, unscoped, with what its serializer and audit row need."""
    return RouteEvent.objects.select_related("victim__case__owner")


def route_events_visible_to(*, user) -> QuerySet[RouteEvent]:
    return scoped(user, case_route_events(), Capability.READ_DEIDENTIFIED)


def route_events_filtered(*, user, filters: dict) -> QuerySet[RouteEvent]:
    events = route_events_visible_to(user=user)
    if case := filters.get("case"):
        events = events.filter(victim__case_id=case)
    if country := filters.get("country"):
        events = events.filter(country_id=country.upper())
    if event_type := filters.get("event_type"):
        events = events.filter(event_type=event_type)
    return events


def case_identifiers() -> QuerySet[Identifier]:
    """Every identifier of a victim or perpetrator, unscoped."""
    return Identifier.objects.filter(_in_a_case("person_id")).select_related("person__owner")


def identifiers_visible_to(*, user) -> QuerySet[Identifier]:
    """Identifiers are personal data through and through: whoever may not read the owning case's
    personal data must not learn that they exist, so only the readable ones are there."""
    return personal_readable(user, case_identifiers())


def identifiers_filtered(*, user, filters: dict) -> QuerySet[Identifier]:
    identifiers = identifiers_visible_to(user=user)
    if person := filters.get("person"):
        identifiers = identifiers.filter(person_id=person)
    return identifiers


def personal_ids_among(*, user, model: type[Model], ids: Iterable[int]) -> set[int]:
    """Of `ids`, the `model` rows whose personal fields `user` may read: `user_reads_personal`
    for a whole page in one query, so a list can mix owners and still cost the same per row."""
    ids = list(ids)
    if not ids:
        return set()
    rows = personal_readable(user, model.objects.filter(pk__in=ids))
    return set(rows.values_list("pk", flat=True))
