"""Reads of cases, always starting from the permission layer."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from quipu.cases.fields import has_code
from quipu.cases.models import Case, RouteEvent, Victim
from quipu.tenancy.permissions import can, scoped
from quipu.tenancy.roles import Capability


def cases_visible_to(*, user) -> QuerySet[Case]:
    """Cases `user` may list. Every role that reads cases also reads them de-identified, at the
    same scope; whether personal fields show is `user_reads_personal`."""
    queryset = Case.objects.select_related("owner", "owner__country")
    return scoped(user, queryset, Capability.READ_DEIDENTIFIED)


def user_reads_personal(*, user, case: Case) -> bool:
    return scoped(user, Case.objects.filter(pk=case.pk), Capability.READ_PERSONAL).exists()


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
            case=OuterRef("pk"), event_type="Exploitation", country_id=exploited_in
        )
        cases = cases.filter(Exists(events))
    if text := (filters.get("q") or "").strip():
        cases = cases.filter(_search(user, text))
    return cases


def _search(user, text: str) -> Q:
    """Every word must match; names and identifiers only for users who may read them."""
    personal = can(user, Capability.READ_PERSONAL)
    condition = Q()
    for word in text.split()[:8]:
        match = (
            Q(reference__icontains=word)
            | Q(route_events__city__icontains=word)
            | Q(route_events__country__name_es__icontains=word)
            | Q(route_events__country__name_pt__icontains=word)
            | Q(route_events__country__name_en__icontains=word)
        )
        if personal:
            match |= (
                Q(victims__person__first_name__icontains=word)
                | Q(victims__person__second_name__icontains=word)
                | Q(perpetrators__person__first_name__icontains=word)
                | Q(perpetrators__person__second_name__icontains=word)
                | Q(victims__person__identifiers__value__icontains=word)
            )
        condition &= Q(pk__in=Case.objects.filter(match).values("pk"))
    return condition
