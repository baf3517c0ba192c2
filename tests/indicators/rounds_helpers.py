"""Builders for survey-round tests: a baseline round for chosen countries, assignments, and a
set of answers that meets every rule of the shipped baseline form."""

import datetime

from django.utils import timezone

from quipu.indicators.models import Survey, SurveyRound

VALID_ANSWERS = {
    "/data/respondent_role": "Jefa de planificación",
    "/data/answer_date": "2025-03-01",
    "/data/prevention/has_action_plan": "yes",
    "/data/prevention/action_plan_year": "2019",
    "/data/prevention/plan_has_budget": "no",
    "/data/prevention/awareness_campaigns": "4",
    "/data/prevention/officials_trained": "120",
    "/data/prevention/officials_trained_women": "70",
    "/data/prevention/demand_measures": "no",
    "/data/prevention/border_protocol": "yes",
    "/data/prevention/helpline": "yes",
    "/data/prevention/helpline_reports": "310",
    "/data/protection/identification_protocol": "yes",
    "/data/protection/identification_users": "police migration",
    "/data/protection/shelter_places": "45",
    "/data/protection/reflection_period": "yes",
    "/data/protection/repatriated_victims": "12",
    "/data/protection/consular_protocol": "yes",
    "__count__/data/protection/services": "1",
    "/data/protection/services[1]/service_kind": "shelter",
    "/data/protection/services[1]/service_coverage": "60",
    "/data/prosecution/palermo_definition": "yes",
    "/data/prosecution/specialised_unit": "yes",
    "/data/prosecution/compensation_judgments": "2",
    "/data/coordination/coordination_body": "yes",
    "/data/coordination/coordination_meetings": "6",
    "/data/coordination/coordination_level": "3",
    "/data/coordination/mla_requests_sent": "8",
    "/data/coordination/jits_active": "1",
    "/data/coordination/standard_data_form": "no",
    "/data/coordination/regional_data": "yes",
    "/data/coordination/agreements_in_force": "5",
}


def round_open(*countries: str, title="Línea de base 2025", due_in_days=30, period="2025"):
    from quipu.tenancy.models import User

    today = timezone.localdate()
    survey_round = SurveyRound.objects.create(
        title=title,
        period=period,
        survey=Survey.objects.filter(form_id="quipu_baseline").latest("imported_at"),
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=due_in_days),
        opened_by=User.objects.get(username="secretariat"),
    )
    survey_round.countries.set(countries)
    return survey_round
