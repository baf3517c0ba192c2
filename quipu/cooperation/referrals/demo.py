"""Demo consular referrals along the main corridors, in every state, some with consent to share
and some without. Written through the services (so the history, audit rows and notifications
are real) and keyed by `demo_key`, so a second run adds nothing. Free texts are demo data, in
Spanish, like the demo cases' names.

Caseworkers refer demo victims of their police's cases whose citizenship is the corridor's
home country; where the demo cases hold none (the test region has only same-country sample
cases), that corridor is skipped. Each consul of a corridor whose consulate sits in the host
country registers one national of their own country and refers them home.
"""

import zlib
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from quipu.cases.models import Consent, Victim
from quipu.cooperation.referrals.models import Referral, State
from quipu.cooperation.referrals.services import (
    foreign_victim_refer,
    referral_open,
    referral_transition,
)
from quipu.cooperation.referrals.steps import referral_step_add, referral_step_update
from quipu.tenancy.demo import CONSULATE_HOST, FAKER_LOCALE
from quipu.tenancy.models import User

# (home country, country where the victims were found)
CORRIDORS = [
    ("VE", "CO"),
    ("VE", "PE"),
    ("BO", "AR"),
    ("PY", "AR"),
    ("VE", "BR"),
    ("CO", "EC"),
    ("PE", "CL"),
    ("BO", "BR"),
]
# The states the referrals of one corridor end in, in turn.
PLAN = [State.SENT, State.IN_PROGRESS, State.ACCEPTED, State.CLOSED, State.DECLINED]
PER_CORRIDOR = 3
NEEDS = [["documentation", "shelter"], ["health", "legal_aid"], ["return", "documentation"]]
OUTCOMES = ["returned", "integrated", "declined_assistance", "lost_contact"]


def demo_build(*, stdout) -> None:
    created = skipped = 0
    for index, (home, found) in enumerate(CORRIDORS):
        victims = _victims(home, found)
        corridor = Referral.objects.filter(demo_key__startswith=f"demo:{home}-{found}:")
        if not victims and not corridor.exists():
            skipped += 1
        for number, victim in enumerate(victims):
            key = f"demo:{home}-{found}:{number}"
            if Referral.objects.filter(demo_key=key).exists():
                continue
            referral = referral_open(
                actor=User.objects.get(username=f"caseworker.{found.lower()}"),
                victim=victim,
                assistance=NEEDS[number % len(NEEDS)],
                assistance_details="Necesita documento de viaje y un lugar seguro donde quedarse.",
                urgency=["urgent", "routine", "immediate"][number % 3],
                contact_name="Oficial de guardia, unidad de trata",
                contact_email=f"trata@demo.{found.lower()}.quipu.example",
            )
            _advance(referral, PLAN[(index + number) % len(PLAN)], key, age_days=3 + 9 * number)
            created += 1
    for home, host in CONSULATE_HOST.items():
        if (home, host) in CORRIDORS:
            created += _consular(home, host)
    stdout.write(
        _("Consular referrals: %(created)s new; %(skipped)s corridors without demo victims.")
        % {"created": created, "skipped": skipped}
    )


def _victims(home: str, found: str) -> list[Victim]:
    """Up to PER_CORRIDOR victims of `home` in the police cases of `found`: one with consent to
    share first, then ones without, so the demo shows both views."""
    referred = Referral.objects.filter(victim=OuterRef("pk"))
    candidates = (
        Victim.objects.filter(case__owner__code=f"{found}-POLICE", person__citizenship_id=home)
        .exclude(Exists(referred))
        .order_by("pk")
    )
    already = Referral.objects.filter(demo_key__startswith=f"demo:{home}-{found}:").count()
    wanted = PER_CORRIDOR - already
    if wanted <= 0:
        return []
    sharing = Consent.objects.filter(
        victim=OuterRef("pk"), consent=True, share_with_home_country=True
    )
    shared = list(candidates.filter(Exists(sharing))[:1])
    others = list(candidates.exclude(Exists(sharing))[: wanted - len(shared)])
    return (shared + others)[:wanted]


def _consular(home: str, host: str) -> int:
    key = f"demo:consul:{home}"
    if Referral.objects.filter(demo_key=key).exists():
        return 0
    fake = Faker(FAKER_LOCALE[home])
    fake.seed_instance(zlib.crc32(f"{home}:referral".encode()))
    referral = foreign_victim_refer(
        actor=User.objects.get(username=f"consul.{home.lower()}"),
        person={
            "first_name": fake.first_name_female(),
            "second_name": fake.last_name(),
            "gender": "Feminine",
            "citizenship_id": home,
        },
        consent=True,
        share_with_home_country=True,
        referral={
            "assistance": ["documentation", "return"],
            "urgency": "urgent",
            "contact_name": "Funcionario consular de turno",
            "contact_email": f"consulado@demo.{home.lower()}.quipu.example",
        },
    )
    _advance(referral, State.ACCEPTED, key, age_days=2)
    return 1


def _advance(referral: Referral, state: str, key: str, *, age_days: int) -> None:
    """Move a new demo referral to `state` as the home focal point would, then age it."""
    focal = User.objects.get(username=f"focal.{referral.home_country_id.lower()}")
    today = timezone.localdate()
    if state == State.DECLINED:
        referral_transition(
            actor=focal,
            referral=referral,
            action="decline",
            comment="No figura en el registro civil; envíen cualquier documento que tengan.",
        )
    elif state != State.SENT:
        referral_transition(actor=focal, referral=referral, action="accept")
        if state in (State.IN_PROGRESS, State.CLOSED):
            referral_transition(actor=focal, referral=referral, action="start")
            done = referral_step_add(
                actor=focal, referral=referral, kind="documentation", due_on=today
            )
            referral_step_update(actor=focal, step=done, status="done")
            # One step already overdue, so the daily job has something to escalate.
            referral_step_add(
                actor=focal,
                referral=referral,
                kind=referral.assistance[-1],
                due_on=today - timedelta(days=2),
            )
        if state == State.CLOSED:
            outcome = OUTCOMES[referral.pk % len(OUTCOMES)]
            referral_transition(actor=focal, referral=referral, action="close", outcome=outcome)
    Referral.objects.filter(pk=referral.pk).update(
        demo_key=key, sent_at=timezone.now() - timedelta(days=age_days)
    )
