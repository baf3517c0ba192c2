"""Synthetic but realistic cases for the demo region, as CaseRecords.

The shape follows what the region's reports describe: about two thirds of victims are women
and girls; sexual exploitation and forced labour dominate; most victims are found in their
own country or a neighbour; cross-border victims travel real corridors (VE→CO→EC→PE→CL,
BO→AR, PY→AR, into BR); about one case in ten is migrant smuggling. On purpose, some victims
are recorded by two countries and some networks reuse the same phones across borders, so
cross-border linkage has something true to find. Deterministic: the same seed gives the
same records. Nothing here touches the database.
"""

import bisect
import datetime as dt
import random
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

import phonenumbers
from faker import Faker

from quipu.cases import validation
from quipu.cases.fields import CodeSet
from quipu.intake.records import CaseRecord, PersonRecord

SEED = 2026
TODAY = dt.date(2026, 11, 1)  # fixed, so the demo is the same whenever it is built

# Cases registered by each member state (sums to 20,000).
CASES_BY_COUNTRY = {
    "BR": 3600,
    "PE": 2800,
    "AR": 2600,
    "CO": 2600,
    "EC": 1900,
    "CL": 1700,
    "BO": 1500,
    "PY": 1200,
    "VE": 1100,
    "UY": 1000,
}
FAKER_LOCALES = {
    "AR": "es_AR",
    "UY": "es_AR",
    "PY": "es_AR",
    "CL": "es_CL",
    "BR": "pt_BR",
    "CO": "es_CO",
    "VE": "es_CO",
    "EC": "es_CO",
    "PE": "es_CO",
    "BO": "es_CO",
    "HT": "fr_FR",
    "DO": "es_CO",
}
CITIES = {
    "VE": ["Caracas", "Maracaibo", "Valencia", "Barquisimeto", "San Cristóbal", "Maturín"],
    "CO": ["Bogotá", "Medellín", "Cali", "Cúcuta", "Barranquilla", "Ipiales", "Cartagena"],
    "EC": ["Quito", "Guayaquil", "Cuenca", "Tulcán", "Huaquillas", "Machala"],
    "PE": ["Lima", "Tumbes", "Tacna", "Arequipa", "Cusco", "Puerto Maldonado", "Juliaca"],
    "CL": ["Santiago", "Arica", "Iquique", "Antofagasta", "Calama", "Valparaíso"],
    "BO": ["La Paz", "El Alto", "Santa Cruz de la Sierra", "Cochabamba", "Villazón", "Yacuiba"],
    "AR": ["Buenos Aires", "Córdoba", "Rosario", "Mendoza", "Salta", "La Quiaca", "Posadas"],
    "PY": ["Asunción", "Ciudad del Este", "Encarnación", "Pedro Juan Caballero", "Luque"],
    "UY": ["Montevideo", "Salto", "Rivera", "Paysandú", "Maldonado", "Chuy"],
    "BR": [
        "São Paulo",
        "Rio de Janeiro",
        "Manaus",
        "Boa Vista",
        "Pacaraima",
        "Foz do Iguaçu",
        "Corumbá",
        "Recife",
        "Cuiabá",
    ],
    "HT": ["Port-au-Prince", "Cap-Haïtien"],
    "DO": ["Santo Domingo", "Santiago de los Caballeros"],
}
# Journeys from the country of citizenship to the country where the victim was found,
# with how common each is relative to the others ending in the same country.
CORRIDORS = [
    (("VE", "CO"), 10),
    (("VE", "CO", "EC"), 5),
    (("VE", "CO", "EC", "PE"), 8),
    (("VE", "CO", "EC", "PE", "CL"), 5),
    (("VE", "BR"), 6),
    (("CO", "EC"), 4),
    (("CO", "EC", "PE"), 3),
    (("CO", "EC", "PE", "CL"), 3),
    (("EC", "PE", "CL"), 2),
    (("PE", "CL"), 4),
    (("PE", "AR"), 2),
    (("BO", "AR"), 8),
    (("BO", "BR"), 5),
    (("BO", "CL"), 3),
    (("PY", "AR"), 8),
    (("PY", "BR"), 3),
    (("AR", "UY"), 1),
    (("BR", "UY"), 1),
    (("UY", "AR"), 1),
    (("HT", "BR"), 2),
    (("HT", "PE", "CL"), 1),
    (("DO", "AR"), 1),
    (("CO", "VE"), 1),
    (("BR", "PY"), 1),
    (("AR", "BO"), 1),
]
DOMESTIC_SHARE = 0.55
SOM_SHARE = 0.10
OWNERS = [("POLICE", 45), ("PROSECUTOR", 30), ("SHELTER", 12), ("HELPLINE", 8), ("MINISTRY", 5)]
EXPLOITATION = [
    ("SexualExploitation", 45),
    ("ForcedLabour", 38),
    ("Servitude", 5),
    ("ForcedBegging", 4),
    ("ForcedMarriage", 3),
    ("SexAndLabour", 2),
    ("Other", 3),
]
# Share of women and girls by form of exploitation (about two thirds overall).
FEMALE_SHARE = {
    "SexualExploitation": 0.9,
    "ForcedLabour": 0.38,
    "Servitude": 0.85,
    "ForcedMarriage": 0.95,
    "ForcedBegging": 0.5,
    "SexAndLabour": 0.7,
    "Other": 0.5,
}
INDUSTRIES = [
    ("A_AgricultureForestryAndFishing", 28),
    ("B_MiningAndQuarrying", 15),
    ("C_Manufacturing", 14),
    ("T_ActivitiesOfHouseholdsAsEmployers", 16),
    ("F_Construction", 11),
    ("I_AccommodationAndFoodServiceActivities", 9),
    ("G_WholesaleAndRetailTradeRepairOfMotorVehicles", 5),
    ("Peddling", 2),
]
SEX_TYPES = [
    ("Prostitution", 80),
    ("RemoteInteractiveServices", 10),
    ("Pornography", 5),
    ("PrivateSexualServices", 5),
]
CONTROL = [
    ("DebtBondage", 30),
    ("WithholdsDocuments", 25),
    ("FalsePromises", 30),
    ("PhysicalThreats", 20),
    ("PsychologicalAbuse", 20),
    ("RestrictsMovement", 15),
    ("ThreatensChildrenFamily", 10),
    ("TakesEarnings", 15),
    ("PhysicalAbuse", 10),
    ("SexualAbuse", 8),
    ("PsychoactiveSubstance", 5),
    ("ExcessiveWorkingHours", 12),
]
RECRUITMENT = [
    ("ThroughOnlineSocialNetworks", 35),
    ("ThroughFriendsOrSocialEvents", 20),
    ("ThroughFamilyOrFamilyEvents", 15),
    ("ThroughAnOnlineAdvertisement", 15),
    ("AtWork", 8),
    ("ThroughANewspaperAdvert", 2),
    ("Other", 5),
]
RELATIONS = [
    ("Friend", 35),
    ("Family", 20),
    ("IntimatePartner", 15),
    ("Other", 15),
    ("Unknown", 15),
]
GENDER_CODES = {True: "Feminine", False: "Masculine"}
NETWORKS = 30
DUPLICATE_SHARE = 0.04  # cross-border victims a second country records again
CONSULAR_SHARE = 0.6  # victims found abroad whom the finding country refers to their consulate


@cache
def _cumulative(pairs: tuple) -> tuple[list, list[float]]:
    values, totals, running = [], [], 0.0
    for value, weight in pairs:
        running += weight
        values.append(value)
        totals.append(running)
    return values, totals


def _weighted(rng: random.Random, pairs):
    values, totals = _cumulative(tuple(pairs))
    return values[bisect.bisect(totals, rng.random() * totals[-1])]


def _some(rng: random.Random, pairs, low: int, high: int) -> CodeSet:
    count = rng.randint(low, high)
    chosen = set()
    while len(chosen) < count:
        chosen.add(_weighted(rng, pairs))
    return CodeSet.of(chosen)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isascii() and c.isalnum()) or "contacto"


def age_group(age: int) -> str:
    for upper, code in ((8, "0--8"), (17, "9--17"), (20, "18--20"), (23, "21--23")):
        if age <= upper:
            return code
    for upper, code in ((26, "24--26"), (29, "27--29"), (38, "30--38"), (47, "39--47")):
        if age <= upper:
            return code
    return "48+"


@lru_cache(maxsize=32)
def _phone_pattern(country: str) -> tuple[str, int, bool]:
    """The country's example mobile number, and whether any last six digits keep it valid."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    probe = random.Random(country)
    always = all(
        phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(
                country_code=example.country_code,
                national_number=int(national[:-6] + f"{probe.randrange(10**6):06d}"),
            )
        )
        for _ in range(200)
    )
    return national, example.country_code, always


def phone_number(rng: random.Random, country: str) -> str:
    """A valid mobile number of `country` in E.164: its example number with new last digits."""
    national, prefix, always_valid = _phone_pattern(country)
    for _attempt in range(50):
        digits = national[:-6] + f"{rng.randrange(10**6):06d}"
        if always_valid or phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=prefix, national_number=int(digits))
        ):
            return f"+{prefix}{digits}"
    return f"+{prefix}{national}"


def document(rng: random.Random, country: str, passport: bool) -> dict:
    if passport:
        raw = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2)) + str(rng.randint(10**6, 10**7))
        kind = "passport"
    else:
        length = {"BR": 11, "EC": 10, "CO": 10, "VE": 8, "CL": 9, "BO": 7, "PY": 7}.get(country, 8)
        raw = str(rng.randint(10 ** (length - 1), 10**length - 1))
        kind = "national_id"
    return {
        "kind": "document",
        "value": validation.document_normalised(raw),
        "issuing_country_id": country,
        "document_type": kind,
    }


@dataclass
class _Network:
    """A group that recruits along one corridor and reuses its phones and handles."""

    corridor: tuple[str, ...]
    members: list[PersonRecord] = field(default_factory=list)


class DemoCases:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        self.name_pools: dict[str, tuple] = {}
        self.sequence: dict[str, int] = {}
        self.networks = [self._network(n) for n in range(NETWORKS)]
        self.journeys_to = self._journeys_by_destination()

    # --- people ---------------------------------------------------------------------------

    def _faker(self, country: str) -> Faker:
        if country not in self.fakers:
            fake = Faker(FAKER_LOCALES.get(country, "es_CO"))
            fake.seed_instance(SEED + len(self.fakers))
            self.fakers[country] = fake
        return self.fakers[country]

    def _names(self, country: str) -> tuple[list[str], list[str], list[str]]:
        """Pools drawn once from Faker (keeping its frequencies): drawing per person is slow."""
        if country not in self.name_pools:
            fake = self._faker(country)
            self.name_pools[country] = (
                [fake.first_name_female() for _ in range(300)],
                [fake.first_name_male() for _ in range(300)],
                [fake.last_name() for _ in range(600)],
            )
        return self.name_pools[country]

    def _name(self, country: str, female: bool) -> dict:
        women, men, surnames = self._names(country)
        first = self.rng.choice(women if female else men)
        second = f"{self.rng.choice(surnames)} {self.rng.choice(surnames)}"
        return {"first_name": first, "second_name": second}

    def _network(self, number: int) -> _Network:
        rng = self.rng
        corridor = _weighted(rng, [c for c in CORRIDORS if len(c[0]) >= 3] or CORRIDORS)
        if number % 3 == 0:  # a third work the main Venezuelan corridor through CO and PE
            corridor = ("VE", "CO", "EC", "PE")
        network = _Network(corridor=corridor)
        phones = [phone_number(rng, rng.choice(corridor)) for _ in range(rng.randint(1, 3))]
        for role in ("RecruiterOrIntermediary", "Transporter", "Exploiter")[: rng.randint(2, 3)]:
            home = corridor[0] if role != "Exploiter" else corridor[-1]
            female = rng.random() < 0.3
            identifiers = [{"kind": "phone", "value": rng.choice(phones)}]
            if rng.random() < 0.5:
                handle = f"@{self._faker(home).user_name()}{rng.randint(10, 99)}"
                identifiers.append({"kind": "social_handle", "value": handle})
            network.members.append(
                PersonRecord(
                    person={
                        **self._name(home, female),
                        "gender": GENDER_CODES[female],
                        "citizenship_id": home,
                    },
                    perpetrator={"roles": CodeSet.of({role})},
                    identifiers=identifiers,
                )
            )
        return network

    # --- journeys ---------------------------------------------------------------------------

    @staticmethod
    def _journeys_by_destination() -> dict[str, list[tuple[tuple[str, ...], int]]]:
        found: dict[str, list] = {}
        for path, weight in CORRIDORS:
            for end in range(2, len(path) + 1):  # a journey may end at any country on the way
                found.setdefault(path[end - 1], []).append((path[:end], weight))
        return found

    def _journey(self, found_in: str, smuggling: bool) -> tuple[str, ...]:
        if not smuggling and self.rng.random() < DOMESTIC_SHARE:
            return (found_in, found_in)
        options = self.journeys_to.get(found_in)
        return _weighted(self.rng, options) if options else (found_in, found_in)

    def _route(self, journey: tuple[str, ...], registered: dt.date, smuggling: bool):
        rng = self.rng
        day = registered - dt.timedelta(days=rng.randint(140, 700))  # room for every hop
        events = [
            {
                "event_type": "Recruitment",
                "country_id": journey[0],
                "city": rng.choice(CITIES[journey[0]]),
                "date": day,
            }
        ]
        for country in journey[1:-1]:
            day += dt.timedelta(days=rng.randint(2, 25))
            events.append(
                {
                    "event_type": "Transit",
                    "country_id": country,
                    "city": rng.choice(CITIES[country]),
                    "date": day,
                }
            )
        day = min(day + dt.timedelta(days=rng.randint(1, 30)), registered)
        last = journey[-1]
        events.append(
            {
                "event_type": "Transit" if smuggling else "Exploitation",
                "country_id": last,
                "city": rng.choice([c for c in CITIES[last] if c != events[0]["city"]]),
                "date": day,
            }
        )
        return events

    # --- cases ------------------------------------------------------------------------------

    def _registered(self) -> dt.date:
        year = _weighted(
            self.rng, [(2019, 8), (2020, 7), (2021, 10), (2022, 13), (2023, 18), (2024, 22)]
        )
        if self.rng.random() < 0.2:
            year = 2025
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364))

    def _victim(self, journey, registered, smuggling) -> PersonRecord:
        rng = self.rng
        citizenship = journey[0]
        exploitation = "" if smuggling else _weighted(rng, EXPLOITATION)
        female = rng.random() < (FEMALE_SHARE.get(exploitation, 0.45))
        minor = rng.random() < (0.12 if smuggling else 0.26)
        age = rng.randint(9, 17) if minor else int(min(18 + rng.expovariate(1 / 9), 64))
        route = self._route(journey, registered, smuggling)
        born = route[0]["date"] - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        gender = GENDER_CODES[female]
        if rng.random() < 0.02:
            gender = rng.choice(["TransgenderFeminine", "NonSpecifiedUnknown"])
        cross_border = journey[0] != journey[-1]
        context = {
            "trafficking_status": ""
            if smuggling
            else _weighted(
                rng,
                [
                    ("ActualVictimOfTrafficking", 60),
                    ("PossibleVictimOfTrafficking", 38),
                    ("NotAVictimOfTrafficking", 2),
                ],
            ),
            "age_when_trafficked": age,
            "age_group": age_group(age),
            "majority_status": "Minor" if minor else "Adult",
            "exploitation_types": CodeSet.of({exploitation} if exploitation else set()),
            "labour_industries": CodeSet.of(
                {_weighted(rng, INDUSTRIES)}
                if exploitation in ("ForcedLabour", "SexAndLabour")
                else set()
            ),
            "sex_exploitation_types": CodeSet.of(
                {_weighted(rng, SEX_TYPES)}
                if exploitation in ("SexualExploitation", "SexAndLabour")
                else set()
            ),
            "control_methods": CodeSet() if smuggling else _some(rng, CONTROL, 1, 3),
            "recruitment_methods": CodeSet.of({_weighted(rng, RECRUITMENT)}),
            "recruiter_relations": CodeSet.of({_weighted(rng, RELATIONS)}),
            "vulnerabilities": CodeSet.of(
                {"Poverty"}
                | ({"Migration"} if cross_border else set())
                | ({"Education"} if rng.random() < 0.2 else set())
            ),
            "agreement_to_manage_data": True,
        }
        identifiers = []
        if rng.random() < 0.7:
            home_phone = rng.random() < 0.6
            identifiers.append(
                {"kind": "phone", "value": phone_number(rng, journey[0 if home_phone else -1])}
            )
        if rng.random() < 0.6:
            identifiers.append(document(rng, citizenship, cross_border and rng.random() < 0.4))
        person = {
            **self._name(citizenship, female),
            "birthdate": born if rng.random() < 0.85 else None,
            "gender": gender,
            "citizenship_id": citizenship,
        }
        if rng.random() < 0.15:
            user = _ascii(f"{person['first_name'][:1]}{person['second_name'].split()[0]}")
            identifiers.append(
                {"kind": "email", "value": validation.email_normalised(f"{user}@example.com")}
            )
        consent = rng.random() < 0.85
        return PersonRecord(
            person=person,
            victim=context,
            identifiers=identifiers,
            route_events=route,
            consent={
                "consent": consent,
                "share_with_home_country": consent and cross_border and rng.random() < 0.45,
            },
        )

    def _perpetrators(self, journey, smuggling) -> list[PersonRecord]:
        rng = self.rng
        if journey[0] != journey[-1] and rng.random() < 0.15:
            matching = [n for n in self.networks if len(set(journey) & set(n.corridor)) > 1]
            if matching:  # the same people, phones and handles as the network's other cases
                return list(rng.choice(matching).members)
        if rng.random() < (0.5 if smuggling else 0.4):
            return []
        people = []
        for _ in range(rng.randint(1, 2)):
            home = rng.choice([journey[0], journey[-1]])
            female = rng.random() < 0.25
            role = (
                "Smuggler"
                if smuggling
                else _weighted(
                    rng, [("RecruiterOrIntermediary", 4), ("Exploiter", 4), ("Transporter", 2)]
                )
            )
            identifiers = [{"kind": "phone", "value": phone_number(rng, home)}]
            if role == "Transporter" and rng.random() < 0.5:
                plate = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=3))
                identifiers.append({"kind": "plate", "value": f"{plate}{rng.randint(100, 999)}"})
            people.append(
                PersonRecord(
                    person={
                        **self._name(home, female),
                        "gender": GENDER_CODES[female],
                        "citizenship_id": home,
                    },
                    perpetrator={"roles": CodeSet.of({role})},
                    identifiers=identifiers if rng.random() < 0.7 else [],
                )
            )
        return people

    def _prosecution(self, owner: str, registered: dt.date) -> tuple[list[dict], str]:
        rng = self.rng
        steps, day = [], registered
        if owner not in ("POLICE", "PROSECUTOR") or rng.random() > 0.6:
            return steps, _weighted(rng, [("Active", 55), ("FollowUp", 30), ("ClosedReferred", 15)])
        for stage, carry_on in (("investigation", 0.5), ("charge", 0.6), ("trial", 1.0)):
            day += dt.timedelta(days=rng.randint(20, 300))
            if day > TODAY:
                return steps, "Active"
            steps.append({"stage": stage, "date": day})
            if rng.random() > carry_on:
                return steps, "Active"
        day += dt.timedelta(days=rng.randint(30, 200))
        if day <= TODAY:
            steps.append(
                {"stage": "conviction" if rng.random() < 0.72 else "acquittal", "date": day}
            )
            return steps, "Closed"
        return steps, "Active"

    def _reference(self, country: str, registered: dt.date) -> tuple[str, str]:
        number = self.sequence[country] = self.sequence.get(country, 0) + 1
        return f"demo:{country}:{number}", f"{country}-{registered.year}-{number:05d}"

    def case(self, found_in: str) -> tuple[str, CaseRecord]:
        """One case registered in `found_in`; returns (owning institution code, record)."""
        rng = self.rng
        smuggling = rng.random() < SOM_SHARE
        registered = self._registered()
        journey = self._journey(found_in, smuggling)
        owner = _weighted(rng, OWNERS)
        victim = self._victim(journey, registered, smuggling)
        steps, status = self._prosecution(owner, registered)
        source_key, reference = self._reference(found_in, registered)
        record = CaseRecord(
            row=0,
            source_key=source_key,
            case={
                "reference": reference,
                "kind": "SOM" if smuggling else "TIP",
                "status": status,
                "registered_on": registered,
                "registration_year": registered.year,
                "datasource": "Hotline" if owner == "HELPLINE" else "CaseManagement",
            },
            people=[victim, *self._perpetrators(journey, smuggling)],
            prosecution_steps=steps,
        )
        if not smuggling:
            record.case.update(_consular_referral(source_key, victim, found_in, registered))
        return f"{found_in}-{owner}", record

    def recorded_again(self, original: CaseRecord) -> tuple[str, CaseRecord] | None:
        """The same victim recorded by another country on the journey, as records diverge."""
        victim = original.victims[0]
        countries = [e["country_id"] for e in victim.route_events]
        elsewhere = [c for c in dict.fromkeys(countries) if c != countries[-1] and c in CITIES]
        elsewhere = [c for c in elsewhere if c in CASES_BY_COUNTRY]
        if not elsewhere:
            return None
        rng = self.rng
        country = rng.choice(elsewhere)
        person = dict(victim.person)
        surnames = person["second_name"].split()
        if rng.random() < 0.3:  # a second record rarely spells a name identically
            person["second_name"] = surnames[0]
        if rng.random() < 0.3:
            person["first_name"] = person["first_name"].upper()
        if person.get("birthdate") and rng.random() < 0.15:
            person["birthdate"] += dt.timedelta(days=rng.choice([-1, 1, 30]))
        # The second country met the victim on the way: its record ends where it did.
        reached = next(i for i, e in enumerate(victim.route_events) if e["country_id"] == country)
        route = [dict(e) for e in victim.route_events[: reached + 1]]
        registered = route[-1]["date"] + dt.timedelta(days=rng.randint(1, 30))
        source_key, reference = self._reference(country, registered)
        copy = PersonRecord(
            person=person,
            victim={**victim.victim},
            identifiers=[dict(i) for i in victim.identifiers if rng.random() < 0.8],
            route_events=route,
            consent=dict(victim.consent or {}),
        )
        record = CaseRecord(
            row=0,
            source_key=source_key,
            case={**original.case, "reference": reference, "status": "Active"},
            people=[copy],
        )
        record.case.update(registered_on=registered, registration_year=registered.year)
        for referral_field in ("referred_organisation", "outgoing_referral_date"):
            record.case.pop(referral_field, None)  # the first country's referral, not this one's
        return f"{country}-{_weighted(rng, OWNERS[:2])}", record


def _consular_referral(
    source_key: str, victim: PersonRecord, found_in: str, registered: dt.date
) -> dict:
    """Most victims found abroad are referred to their consulate within days. A generator of
    its own per case, so that the rest of the demo does not change with this share."""
    home = victim.person["citizenship_id"]
    rng = random.Random(zlib.crc32(f"referral:{source_key}".encode()))
    if home in (None, found_in) or home not in CITIES or rng.random() >= CONSULAR_SHARE:
        return {}
    return {
        "referred_organisation": f"Consulado de {home}",
        "outgoing_referral_date": min(registered + dt.timedelta(days=rng.randint(1, 20)), TODAY),
    }


def demo_cases(total: int | None = None, seed: int = SEED) -> Iterator[tuple[str, CaseRecord]]:
    """(owning institution code, record) for about `total` cases over the ten states."""
    generator = DemoCases(seed)
    scale = (total or sum(CASES_BY_COUNTRY.values())) / sum(CASES_BY_COUNTRY.values())
    for country, count in CASES_BY_COUNTRY.items():
        for _ in range(max(round(count * scale), 1)):
            owner, record = generator.case(country)
            yield owner, record
            victim = record.victims[0]
            cross_border = victim.person["citizenship_id"] != country
            if cross_border and generator.rng.random() < DUPLICATE_SHARE:
                again = generator.recorded_again(record)
                if again:
                    yield again
