"""Cases shaped for pages: labels in the reader's language, personal fields only when allowed."""

from django.utils.translation import gettext_lazy as _

from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Identifier, Perpetrator, Person, RouteEvent, Victim
from quipu.cases.personal import personal_fields
from quipu.cases.vocabulary import label
from quipu.tenancy.models import Country

HIDDEN = _("(restricted)")


def codes_label(vocabulary: str, codes: CodeSet) -> str:
    return ", ".join(label(vocabulary, c) for c in sorted(codes.present)) or "—"


def case_rows(cases) -> list[dict]:
    """One de-identified summary per case for the list: no names, no identifiers."""
    cases = list(cases)
    victims = (
        Victim.objects.filter(case__in=cases)
        .select_related("person__citizenship")
        .prefetch_related("route_events__country")
    )
    by_case: dict[int, list[Victim]] = {}
    for victim in victims:
        by_case.setdefault(victim.case_id, []).append(victim)
    rows = []
    for case in cases:
        first = (by_case.get(case.pk) or [None])[0]
        exploited_in = (
            [e.country for e in first.route_events.all() if e.event_type == "Exploitation"]
            if first
            else []
        )
        rows.append(
            {
                "case": case,
                "status": label("case_status", case.status),
                "kind": label("case_kind", case.kind),
                "victims": len(by_case.get(case.pk, [])),
                "gender": label("gender", first.person.gender)
                if first and first.person.gender
                else "—",
                "age_group": label("age_group", first.age_group)
                if first and first.age_group
                else "—",
                "citizenship": first.person.citizenship.name
                if first and first.person.citizenship
                else "—",
                "exploitation": codes_label("exploitation_type", first.exploitation_types)
                if first
                else "—",
                "exploited_in": ", ".join(c.name for c in exploited_in if c) or "—",
            }
        )
    return rows


NOT_SHOWN = {
    "id",
    "owner",
    "case",
    "person",
    "victim",
    "source_hash",
    "source_extras",
    "created_by",
    "created_at",
    "updated_at",
}


def _fields(instance, personal: bool, skip=()) -> list[tuple[str, object]]:
    """(label, value) for every filled field; personal ones masked unless `personal`."""
    hidden = personal_fields(type(instance))
    shown = []
    for field in instance._meta.concrete_fields:
        if field.name in NOT_SHOWN or field.name in skip:
            continue
        value = getattr(instance, field.name)
        if value in (None, "", False) or (isinstance(value, CodeSet) and not value):
            continue
        if field.name in hidden and not personal:
            value = HIDDEN
        elif isinstance(value, CodeSet):
            value = codes_label(field.vocabulary, value)
        elif field.is_relation:
            value = str(value)
        elif field.name in VOCABULARY_OF:
            value = label(VOCABULARY_OF[field.name], value)
        elif field.name in COUNTRY_CODE_FIELDS:
            value = _country_name(value)
        elif value is True:
            value = _("Yes")
        shown.append((field.verbose_name, value))
    return shown


VOCABULARY_OF = {
    "status": "case_status",
    "kind": "case_kind",
    "datasource": "datasource",
    "gender": "gender",
    "marital_status": "marital_status",
    "education": "education",
    "trafficking_status": "trafficking_status",
    "status_decision_org": "status_decision_org",
    "relationship_to_trafficker": "relationship_to_trafficker",
    "age_group": "age_group",
    "majority_status": "majority",
    "majority_at_exploitation": "majority",
    "majority_at_entry": "majority",
    "event_type": "route_event_type",
    "incoming_referral_reason": "referral_reason",
    "outgoing_referral_reason": "referral_reason",
    "document_type": "document_type",
    "stage": "prosecution_stage",
}


COUNTRY_CODE_FIELDS = {"mailing_country"}  # plain ISO codes, not foreign keys


def _country_name(code: str) -> str:
    country = Country.objects.filter(code=code).first()
    return country.name if country else code


def _person_card(role: str, context: Victim | Perpetrator, personal: bool) -> dict:
    """A victim or a perpetrator: the person, the context, and identifiers only if `personal`."""
    identifiers: list[Identifier] = list(context.person.identifiers.all()) if personal else []
    return {
        "role": role,
        "person": _fields(context.person, personal),
        "context": _fields(context, personal),
        "identifiers": [(label("identifier_kind", i.kind), i.value) for i in identifiers],
    }


def case_detail_for(case: Case, *, personal: bool) -> dict:
    victims = Victim.objects.filter(case=case).select_related("person__citizenship")
    perpetrators = (
        Perpetrator.objects.filter(case=case).select_related("person__citizenship").order_by("id")
    )
    people = [_person_card(_("Victim"), victim, personal) for victim in victims] + [
        _person_card(_("Perpetrator"), perpetrator, personal) for perpetrator in perpetrators
    ]
    route = [
        {
            "event": label("route_event_type", e.event_type),
            "country": e.country.name if e.country else "—",
            "city": e.city or "—",
            "date": e.date,
        }
        for e in RouteEvent.objects.filter(victim__case=case).select_related("country")
    ]
    return {
        "case": case,
        "case_fields": _fields(case, personal, skip={"reference", "source_key"}),
        "people": people,
        "route": route,
        "steps": [
            (label("prosecution_stage", s.stage), s.date) for s in case.prosecution_steps.all()
        ],
        "personal": personal,
        "person_model": Person,
    }
