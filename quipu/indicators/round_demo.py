"""Demo survey rounds (issue 6 point 7): a 2024 baseline answered and accepted by most
institutions, and a 2025 follow-up partly answered, one answer returned and one overdue.

Rows are written directly (no notifications or e-mails for made-up steps), with a history
that reads as the real flow would have left it. Idempotent: existing rounds are left alone.
"""

import datetime
import random
import zlib

from django.db import transaction
from django.utils import timezone

from quipu.indicators.models import Survey
from quipu.indicators.round_models import Submission, SubmissionEvent, SurveyRound
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.models import Institution, User

KINDS = ("ministry", "police", "prosecutor", "consulate")
YES_NO = ("yes", "no", "dont_know")
SERVICES = ("shelter", "health", "psychological", "legal", "employment")
RESPONDENT = {
    "ministry": "Dirección de Derechos Humanos",
    "police": "División de Trata de Personas",
    "prosecutor": "Unidad Fiscal Especializada",
    "consulate": "Sección Consular",
}
# 2025 follow-up: the state of each country's answers (None: not assigned yet).
FOLLOW_UP = {
    "AR": "accepted",
    "BR": "accepted",
    "CL": "accepted",
    "CO": "approved",
    "EC": "approved",
    "PE": "submitted",
    "BO": "submitted",
    "VE": "submitted",
    "PY": None,
    "UY": None,
}
RETURNED_CODE, OVERDUE_CODE = "BO-POLICE", "VE-PROSECUTOR"
RETURN_PATH = "/data/prevention/officials_trained_women"
RETURN_COMMENT = "La cifra de mujeres capacitadas no coincide con el informe anual; revísela."


def demo_answers(institution: Institution, period: str) -> dict[str, str]:
    """Plausible, varied answers that meet every rule of the baseline form."""
    rng = random.Random(zlib.crc32(f"{institution.code}:{period}".encode()))
    growth = 1.0 if period == "2024" else 1.25
    year = int(period)
    plan = rng.choice(("yes", "yes", "yes", "no"))
    trained = int(rng.randint(20, 400) * growth)
    helpline = rng.choice(("yes", "yes", "no"))
    body = rng.choice(("yes", "yes", "yes", "no"))
    services = rng.sample(SERVICES, rng.randint(1, 3))
    answers = {
        "/data/respondent_role": RESPONDENT.get(institution.kind, "Coordinación"),
        "/data/answer_date": f"{year + 1}-0{rng.randint(1, 5)}-{rng.randint(10, 28)}",
        "/data/prevention/has_action_plan": plan,
        "/data/prevention/awareness_campaigns": str(int(rng.randint(0, 12) * growth)),
        "/data/prevention/officials_trained": str(trained),
        "/data/prevention/officials_trained_women": str(rng.randint(trained // 3, trained)),
        "/data/prevention/demand_measures": rng.choice(YES_NO),
        "/data/prevention/border_protocol": rng.choice(YES_NO),
        "/data/prevention/helpline": helpline,
        "/data/protection/identification_protocol": rng.choice(("yes", "yes", "no")),
        "/data/protection/shelter_places": str(rng.randint(0, 120)),
        "/data/protection/reflection_period": rng.choice(YES_NO),
        "/data/protection/repatriated_victims": str(rng.randint(0, 40)),
        "/data/protection/consular_protocol": rng.choice(("yes", "no")),
        "__count__/data/protection/services": str(len(services)),
        "/data/prosecution/palermo_definition": rng.choice(("yes", "yes", "yes", "no")),
        "/data/prosecution/specialised_unit": rng.choice(("yes", "no")),
        "/data/prosecution/compensation_judgments": str(rng.randint(0, 6)),
        "/data/coordination/coordination_body": body,
        "/data/coordination/coordination_level": str(rng.randint(1, 4)),
        "/data/coordination/mla_requests_sent": str(rng.randint(0, 30)),
        "/data/coordination/jits_active": str(rng.randint(0, 3)),
        "/data/coordination/standard_data_form": rng.choice(YES_NO),
        "/data/coordination/regional_data": rng.choice(YES_NO),
        "/data/coordination/agreements_in_force": str(rng.randint(1, 15)),
    }
    if plan == "yes":
        answers["/data/prevention/action_plan_year"] = str(rng.randint(2008, year))
        answers["/data/prevention/plan_has_budget"] = rng.choice(YES_NO)
    if helpline == "yes":
        answers["/data/prevention/helpline_reports"] = str(int(rng.randint(30, 900) * growth))
    if body == "yes":
        answers["/data/coordination/coordination_meetings"] = str(rng.randint(2, 12))
    if answers["/data/protection/identification_protocol"] == "yes":
        answers["/data/protection/identification_users"] = " ".join(
            sorted(rng.sample(("police", "labour", "health", "migration", "consulates"), 3))
        )
    for position, kind in enumerate(services, start=1):
        answers[f"/data/protection/services[{position}]/service_kind"] = kind
        answers[f"/data/protection/services[{position}]/service_coverage"] = str(
            rng.randint(20, 95)
        )
    return answers


def _institutions() -> list[tuple[Institution, User]]:
    pairs = []
    for institution in Institution.objects.filter(
        country_id__in=REGIONAL_PLATFORM, kind__in=KINDS, is_active=True
    ).order_by("code"):
        user = (
            User.objects.filter(membership__institution=institution, is_active=True)
            .order_by("username")
            .first()
        )
        if user is not None:
            pairs.append((institution, user))
    return pairs


def _steps(state: str) -> list[tuple[str, str, str, str]]:
    """(action, from, to, who) leading to `state`, as the flow would have recorded them."""
    submit = [("submit", "not_started", "submitted", "filler")]
    if state == "submitted":
        return submit
    if state == "returned":
        return [*submit, ("return", "submitted", "returned", "focal")]
    approve = [*submit, ("approve", "submitted", "approved", "focal")]
    if state == "approved":
        return approve
    return [*approve, ("accept", "approved", "accepted", "secretariat")]


def _round(title: str, period: str, survey: Survey, opens_on, due_on, secretariat) -> tuple:
    found = SurveyRound.objects.filter(title=title, period=period).first()
    if found is not None:
        return found, False
    survey_round = SurveyRound.objects.create(
        title=title,
        period=period,
        survey=survey,
        opens_on=opens_on,
        due_on=due_on,
        opened_by=secretariat,
    )
    survey_round.countries.set(REGIONAL_PLATFORM)
    return survey_round, True


def _state_2024(institution: Institution) -> str:
    # About one institution in eight never answered the baseline.
    return "not_started" if zlib.crc32(institution.code.encode()) % 8 == 0 else "accepted"


def _state_2025(institution: Institution) -> str | None:
    if institution.code == RETURNED_CODE:
        return "returned"
    if institution.code == OVERDUE_CODE:
        return "not_started"
    return FOLLOW_UP.get(institution.country_id)


def rounds_demo_build() -> tuple[int, int]:
    """Build both rounds if missing; (rounds created, submissions created)."""
    survey = Survey.objects.filter(form_id="quipu_baseline").order_by("-imported_at").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if survey is None or secretariat is None:
        return 0, 0
    today = timezone.localdate()
    plans = [
        (
            "Línea de base 2024",
            "2024",
            datetime.date(2025, 2, 3),
            datetime.date(2025, 4, 30),
            _state_2024,
        ),
        (
            "Seguimiento 2025",
            "2025",
            today - datetime.timedelta(days=60),
            today - datetime.timedelta(days=3),
            _state_2025,
        ),
    ]
    focal = {
        u.membership.institution.country_id: u
        for u in User.objects.filter(username__startswith="focal.").select_related(
            "membership__institution"
        )
    }
    rounds = submissions = 0
    pairs = _institutions()
    for title, period, opens_on, due_on, state_of in plans:
        with transaction.atomic():
            survey_round, created = _round(title, period, survey, opens_on, due_on, secretariat)
            if not created:
                continue
            rounds += 1
            events = []
            for institution, responsible in pairs:
                state = state_of(institution)
                if state is None:
                    continue
                answered = state != "not_started"
                at = timezone.make_aware(
                    datetime.datetime.combine(due_on, datetime.time(10))
                ) - datetime.timedelta(days=10)
                submission = Submission.objects.create(
                    round=survey_round,
                    institution=institution,
                    responsible=responsible,
                    state=state,
                    answers=demo_answers(institution, period) if answered else {},
                    comments={RETURN_PATH: RETURN_COMMENT} if state == "returned" else {},
                    submitted_at=at if answered else None,
                )
                submissions += 1
                actors = {
                    "filler": responsible,
                    "focal": focal.get(institution.country_id, secretariat),
                    "secretariat": secretariat,
                }
                for offset, (action, before, after, who) in enumerate(
                    _steps(state) if answered else []
                ):
                    events.append(
                        SubmissionEvent(
                            submission=submission,
                            actor=actors[who],
                            at=at + datetime.timedelta(days=2 * offset),
                            action=action,
                            from_state=before,
                            to_state=after,
                            comment=RETURN_COMMENT if action == "return" else "",
                        )
                    )
            SubmissionEvent.objects.bulk_create(events)
    return rounds, submissions
