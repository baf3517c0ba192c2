"""Builds Quipu's baseline questionnaire, `data/quipu_baseline.xlsx`, as an XLSForm.

The questionnaire surveys each national institution on the practices the indicator framework
measures, one group per axis. A question that feeds an indicator names it in the column
`quipu_indicator`. Rebuild the file with `quipu indicators baseline-form` after editing here.
"""

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

BASELINE_FILE = Path(__file__).resolve().parent / "data" / "quipu_baseline.xlsx"
LANGUAGES = ("Español (es)", "Português (pt)", "English (en)")
YES = "${%s} = 'yes'"


def q(
    kind,
    name,
    label=None,
    hint=None,
    *,
    required="",
    relevant="",
    constraint="",
    message=None,
    calculate="",
    indicator="",
):
    return {
        "type": kind,
        "name": name,
        "label": label,
        "hint": hint,
        "required": required,
        "relevant": relevant,
        "constraint": constraint,
        "message": message,
        "calculate": calculate,
        "indicator": indicator,
    }


NOT_NEGATIVE = (
    "El número no puede ser negativo.",
    "O número não pode ser negativo.",
    "The number cannot be negative.",
)
PERIOD_HINT = (
    "Durante el período de referencia de la ronda (por ejemplo, el año 2024).",
    "Durante o período de referência da rodada (por exemplo, o ano de 2024).",
    "During the round's reference period (for example, the year 2024).",
)


def yes_no(name, label, indicator="", relevant="", hint=None):
    return q(
        "select_one yes_no",
        name,
        label,
        hint,
        required="yes",
        relevant=relevant,
        indicator=indicator,
    )


def count(name, label, indicator="", relevant="", hint=PERIOD_HINT):
    return q(
        "integer",
        name,
        label,
        hint,
        relevant=relevant,
        constraint=". >= 0",
        message=NOT_NEGATIVE,
        indicator=indicator,
    )


SURVEY = [
    q(
        "note",
        "intro",
        (
            "Esta encuesta recoge las prácticas de su institución frente a la trata de personas. "
            "Sus respuestas forman la línea de base del Mecanismo Regional de Coordinación.",
            "Esta pesquisa reúne as práticas da sua instituição frente ao tráfico de pessoas. "
            "Suas respostas formam a linha de base do Mecanismo Regional de Coordenação.",
            "This survey gathers your institution's practices against trafficking in persons. "
            "Your answers form the baseline of the Regional Coordination Mechanism.",
        ),
    ),
    q(
        "text",
        "respondent_role",
        ("Cargo de quien responde", "Cargo de quem responde", "Position of the person answering"),
        required="yes",
    ),
    q(
        "date",
        "answer_date",
        ("Fecha de la respuesta", "Data da resposta", "Date of the answer"),
        required="yes",
        constraint=". <= today()",
        message=(
            "La fecha no puede ser futura.",
            "A data não pode ser futura.",
            "The date cannot be in the future.",
        ),
    ),
    q("begin_group", "prevention", ("Prevención", "Prevenção", "Prevention")),
    yes_no(
        "has_action_plan",
        (
            "¿El país tiene un plan nacional contra la trata vigente?",
            "O país tem um plano nacional contra o tráfico vigente?",
            "Does the country have a national plan against trafficking in force?",
        ),
        "PREV-01",
    ),
    q(
        "integer",
        "action_plan_year",
        ("Año de aprobación del plan", "Ano de aprovação do plano", "Year the plan was adopted"),
        relevant=YES % "has_action_plan",
        constraint=". >= 1990 and . <= 2100",
        message=(
            "Escriba un año entre 1990 y 2100.",
            "Escreva um ano entre 1990 e 2100.",
            "Write a year between 1990 and 2100.",
        ),
    ),
    yes_no(
        "plan_has_budget",
        (
            "¿El plan tiene presupuesto propio asignado?",
            "O plano tem orçamento próprio alocado?",
            "Does the plan have its own budget?",
        ),
        "PREV-02",
        relevant=YES % "has_action_plan",
    ),
    count(
        "awareness_campaigns",
        (
            "Campañas de sensibilización realizadas",
            "Campanhas de sensibilização realizadas",
            "Awareness campaigns carried out",
        ),
        "PREV-03",
    ),
    count(
        "officials_trained",
        (
            "Funcionarios capacitados en trata",
            "Servidores capacitados em tráfico",
            "Officials trained on trafficking",
        ),
        "PREV-04",
    ),
    q(
        "integer",
        "officials_trained_women",
        ("De ellos, mujeres", "Destes, mulheres", "Of whom women"),
        relevant="${officials_trained} > 0",
        constraint=". >= 0 and . <= ${officials_trained}",
        message=(
            "No puede superar el total de funcionarios capacitados.",
            "Não pode superar o total de servidores capacitados.",
            "Cannot exceed the total of officials trained.",
        ),
    ),
    q(
        "calculate",
        "officials_trained_women_pct",
        calculate="if(${officials_trained} > 0, round(${officials_trained_women} div "
        "${officials_trained} * 100), '')",
    ),
    yes_no(
        "demand_measures",
        (
            "¿Se aplican medidas para desalentar la demanda?",
            "São aplicadas medidas para desestimular a demanda?",
            "Are measures applied to discourage demand?",
        ),
        "PREV-05",
    ),
    yes_no(
        "border_protocol",
        (
            "¿Los controles fronterizos aplican un protocolo de detección?",
            "Os controles de fronteira aplicam um protocolo de detecção?",
            "Do border controls apply a screening protocol?",
        ),
        "PREV-06",
    ),
    yes_no(
        "helpline",
        (
            "¿Hay una línea gratuita de denuncia de trata?",
            "Há uma linha gratuita de denúncia de tráfico?",
            "Is there a free helpline to report trafficking?",
        ),
        "PREV-07",
    ),
    count(
        "helpline_reports",
        (
            "Denuncias recibidas por la línea",
            "Denúncias recebidas pela linha",
            "Reports received by the helpline",
        ),
        "PREV-08",
        relevant=YES % "helpline",
    ),
    q("end_group", "prevention"),
    q(
        "begin_group",
        "protection",
        ("Protección y asistencia", "Proteção e assistência", "Protection and assistance"),
    ),
    yes_no(
        "identification_protocol",
        (
            "¿Existe un protocolo nacional de identificación de víctimas?",
            "Existe um protocolo nacional de identificação de vítimas?",
            "Is there a national victim identification protocol?",
        ),
        "PROT-07",
    ),
    q(
        "select_multiple front_line",
        "identification_users",
        ("¿Quién aplica el protocolo?", "Quem aplica o protocolo?", "Who applies the protocol?"),
        (
            "Marque todas las que correspondan.",
            "Marque todas as que se aplicam.",
            "Tick all that apply.",
        ),
        relevant=YES % "identification_protocol",
    ),
    count(
        "shelter_places",
        (
            "Plazas en albergues especializados",
            "Vagas em abrigos especializados",
            "Places in specialised shelters",
        ),
        "PROT-08",
        hint=("Al cierre del período.", "No fim do período.", "At the end of the period."),
    ),
    yes_no(
        "reflection_period",
        (
            "¿Las víctimas extranjeras pueden permanecer en el país?",
            "As vítimas estrangeiras podem permanecer no país?",
            "May foreign victims remain in the country?",
        ),
        "PROT-09",
    ),
    count(
        "repatriated_victims",
        (
            "Víctimas repatriadas con asistencia",
            "Vítimas repatriadas com assistência",
            "Victims repatriated with assistance",
        ),
        "PROT-10",
    ),
    yes_no(
        "consular_protocol",
        (
            "¿Se aplica el Protocolo de Asistencia Consular?",
            "Aplica-se o Protocolo de Assistência Consular?",
            "Is the Consular Assistance Protocol applied?",
        ),
        "PROT-12",
    ),
    q(
        "begin_repeat",
        "services",
        (
            "Servicios de asistencia que presta la institución",
            "Serviços de assistência prestados pela instituição",
            "Assistance services the institution provides",
        ),
    ),
    q(
        "select_one service_kind",
        "service_kind",
        ("Servicio", "Serviço", "Service"),
        required="yes",
    ),
    q(
        "text",
        "service_other",
        ("¿Qué otro servicio?", "Que outro serviço?", "Which other service?"),
        required="yes",
        relevant="${service_kind} = 'other'",
    ),
    q(
        "decimal",
        "service_coverage",
        (
            "Porcentaje de víctimas atendidas que lo recibieron",
            "Percentual de vítimas atendidas que o receberam",
            "Share of assisted victims who received it",
        ),
        ("Entre 0 y 100.", "Entre 0 e 100.", "Between 0 and 100."),
        constraint=". >= 0 and . <= 100",
        message=(
            "Escriba un porcentaje entre 0 y 100.",
            "Escreva um percentual entre 0 e 100.",
            "Write a percentage between 0 and 100.",
        ),
    ),
    q("end_repeat", "services"),
    q("calculate", "service_count", calculate="count(${services})"),
    q(
        "note",
        "services_note",
        (
            "Servicios registrados: ${service_count}",
            "Serviços registrados: ${service_count}",
            "Services recorded: ${service_count}",
        ),
    ),
    q("end_group", "protection"),
    q("begin_group", "prosecution", ("Persecución penal", "Persecução penal", "Prosecution")),
    yes_no(
        "palermo_definition",
        (
            "¿El código penal tipifica la trata como el Protocolo de Palermo?",
            "O código penal tipifica o tráfico como o Protocolo de Palermo?",
            "Does the criminal code define trafficking as the Palermo Protocol does?",
        ),
        "PROS-01",
        hint=(
            "Acción, medio y fin, y todas las formas de explotación.",
            "Ação, meio e finalidade, e todas as formas de exploração.",
            "Act, means and purpose, and every form of exploitation.",
        ),
    ),
    yes_no(
        "specialised_unit",
        (
            "¿Hay una unidad fiscal especializada en trata?",
            "Há uma unidade do ministério público especializada em tráfico?",
            "Is there a specialised prosecution unit for trafficking?",
        ),
        "PROS-06",
    ),
    count(
        "compensation_judgments",
        (
            "Sentencias que ordenaron reparación a las víctimas",
            "Sentenças que determinaram reparação às vítimas",
            "Judgments ordering compensation to victims",
        ),
        "PROS-07",
    ),
    q("end_group", "prosecution"),
    q(
        "begin_group",
        "coordination",
        ("Coordinación y cooperación", "Coordenação e cooperação", "Coordination and cooperation"),
    ),
    yes_no(
        "coordination_body",
        (
            "¿Funciona una instancia nacional de coordinación?",
            "Funciona uma instância nacional de coordenação?",
            "Does a national coordination body operate?",
        ),
        "COOP-01",
    ),
    q(
        "integer",
        "coordination_meetings",
        ("Reuniones en el período", "Reuniões no período", "Meetings in the period"),
        relevant=YES % "coordination_body",
        constraint=". >= 0 and . <= 366",
        message=NOT_NEGATIVE,
    ),
    q(
        "select_one scale",
        "coordination_level",
        (
            "Nivel de coordinación entre instituciones",
            "Nível de coordenação entre instituições",
            "Level of coordination between institutions",
        ),
        required="yes",
        indicator="COOP-02",
    ),
    count(
        "mla_requests_sent",
        (
            "Solicitudes de cooperación internacional enviadas",
            "Pedidos de cooperação internacional enviados",
            "International cooperation requests sent",
        ),
        "COOP-03",
    ),
    count(
        "jits_active",
        (
            "Equipos conjuntos de investigación activos",
            "Equipes conjuntas de investigação ativas",
            "Joint investigation teams active",
        ),
        "COOP-04",
    ),
    yes_no(
        "standard_data_form",
        (
            "¿Su institución usa el formulario común de registro de casos?",
            "Sua instituição usa o formulário comum de registro de casos?",
            "Does your institution use the common case data form?",
        ),
        "COOP-05",
    ),
    yes_no(
        "regional_data",
        (
            "¿El país aportó datos a la base regional?",
            "O país contribuiu com dados à base regional?",
            "Did the country contribute data to the regional database?",
        ),
        "COOP-06",
    ),
    count(
        "agreements_in_force",
        (
            "Acuerdos de cooperación sobre trata vigentes",
            "Acordos de cooperação sobre tráfico vigentes",
            "Cooperation agreements on trafficking in force",
        ),
        "COOP-07",
        hint=("Al cierre del período.", "No fim do período.", "At the end of the period."),
    ),
    q(
        "text",
        "comments",
        ("Comentarios", "Comentários", "Comments"),
        ("Opcional.", "Opcional.", "Optional."),
    ),
    q("end_group", "coordination"),
]

CHOICES = [
    ("yes_no", "yes", ("Sí", "Sim", "Yes")),
    ("yes_no", "no", ("No", "Não", "No")),
    ("yes_no", "dont_know", ("No sabe", "Não sabe", "Don't know")),
    ("front_line", "police", ("Policía", "Polícia", "Police")),
    (
        "front_line",
        "labour",
        ("Inspección del trabajo", "Inspeção do trabalho", "Labour inspection"),
    ),
    ("front_line", "health", ("Salud", "Saúde", "Health")),
    ("front_line", "migration", ("Migración", "Migração", "Immigration")),
    ("front_line", "consulates", ("Consulados", "Consulados", "Consulates")),
    (
        "front_line",
        "ngo",
        (
            "Organizaciones de la sociedad civil",
            "Organizações da sociedade civil",
            "Civil society organisations",
        ),
    ),
    ("service_kind", "shelter", ("Alojamiento", "Abrigo", "Shelter")),
    ("service_kind", "health", ("Salud", "Saúde", "Health care")),
    (
        "service_kind",
        "psychological",
        ("Apoyo psicológico", "Apoio psicológico", "Psychological support"),
    ),
    ("service_kind", "legal", ("Asistencia jurídica", "Assistência jurídica", "Legal aid")),
    (
        "service_kind",
        "employment",
        ("Empleo y formación", "Emprego e formação", "Jobs and training"),
    ),
    ("service_kind", "other", ("Otro", "Outro", "Other")),
    ("scale", "1", ("1 — Ninguna", "1 — Nenhuma", "1 — None")),
    ("scale", "2", ("2 — Ocasional", "2 — Ocasional", "2 — Occasional")),
    ("scale", "3", ("3 — Frecuente", "3 — Frequente", "3 — Frequent")),
    ("scale", "4", ("4 — Plena y regular", "4 — Plena e regular", "4 — Full and regular")),
]

SETTINGS = {
    "form_title": "Encuesta de línea de base del Mecanismo Regional de Coordinación",
    "form_id": "quipu_baseline",
    "version": "2025.1",
    "default_language": "Español (es)",
    # form_title has one language; Quipu reads the others from these columns (pyxform keeps them).
    "quipu_title::Português (pt)": "Pesquisa de linha de base do Mecanismo Regional de Coordenação",
    "quipu_title::English (en)": "Baseline survey of the Regional Coordination Mechanism",
}


def baseline_form_workbook() -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    header = ["type", "name"]
    for prefix in ("label", "hint", "constraint_message"):
        header += [f"{prefix}::{language}" for language in LANGUAGES]
    header += ["required", "relevant", "constraint", "calculate", "quipu_indicator"]
    survey.append(header)
    for row in SURVEY:
        cells = [row["type"], row["name"]]
        for key in ("label", "hint", "message"):
            cells += list(row[key] or ("", "", ""))
        cells += [row[k] for k in ("required", "relevant", "constraint", "calculate")]
        cells.append(row["indicator"])
        survey.append(cells)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{language}" for language in LANGUAGES]])
    for list_name, name, labels in CHOICES:
        choices.append([list_name, name, *labels])
    settings = book.create_sheet("settings")
    settings.append(list(SETTINGS))
    settings.append(list(SETTINGS.values()))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def baseline_form_write(path: Path = BASELINE_FILE) -> Path:
    path.write_bytes(baseline_form_workbook())
    return path
