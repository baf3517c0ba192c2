"""Demo helpline: an operator per member state (helpline.xx, a caseworker of XX-HELPLINE) and a
handful of reports in every state: anonymous and consenting callers, a lead, a case, a closed
report and one routed to a neighbour. Idempotent: a country with demo reports is left alone."""

from django.utils.translation import gettext as _

from quipu.cooperation.helpline.models import HelplineReport
from quipu.cooperation.helpline.services import report_log
from quipu.cooperation.helpline.triage import (
    report_case_open,
    report_close,
    report_lead_assign,
    report_route,
)
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.demo import CONSULATE_HOST, _demo_user, _faker
from quipu.tenancy.models import Country, Institution, User
from quipu.tenancy.roles import Role

ACCOUNTS = {
    "es": (
        "Una vecina informa que en un local del mercado encierran de noche a varias jóvenes.",
        "Un hombre cuenta que a su hermano le retienen el documento en una finca y no le pagan.",
        "Niños piden dinero en el semáforo cada día; un adulto los recoge en una camioneta.",
        "Una madre denuncia que su hija de 15 años fue prometida en matrimonio a un adulto.",
        "Un grupo de migrantes pagó a un coyote y los dejaron sin agua cerca de la frontera.",
        "Una joven no volvió de una entrevista de trabajo ofrecida por redes sociales.",
    ),
    "pt": (
        "Uma vizinha relata que jovens são trancadas à noite num bar perto do porto.",
        "Um homem conta que o irmão trabalha numa fazenda sem salário e sem documento.",
        "Crianças pedem dinheiro no semáforo; um adulto as recolhe numa van.",
        "Uma mãe denuncia que a filha de 15 anos foi prometida em casamento a um adulto.",
        "Um grupo de migrantes pagou um atravessador e foi abandonado perto da fronteira.",
        "Uma jovem não voltou de uma entrevista de emprego oferecida pelas redes sociais.",
    ),
}
PLAN = (  # situation, urgency, channel, consents, triage
    ("sexual_exploitation", "1_immediate", "phone", False, None),
    ("forced_labour", "2_urgent", "whatsapp", True, "lead"),
    ("forced_begging", "3_normal", "walk_in", False, "case"),
    ("forced_marriage", "2_urgent", "phone", False, "close"),
    ("smuggling", "3_normal", "web", False, "route"),
    ("missing_person", "3_normal", "phone", True, None),
)


def demo_build(*, stdout) -> None:
    created = 0
    for cc in REGIONAL_PLATFORM:
        helpline = Institution.objects.get(code=f"{cc}-HELPLINE")
        operator = _demo_user(f"helpline.{cc.lower()}", helpline, Role.CASEWORKER, _faker(cc, "hl"))
        if HelplineReport.objects.filter(institution=helpline).exists():
            continue
        created += _country_reports(cc, operator)
    stdout.write(_("Helpline reports: %(count)s demo reports logged.") % {"count": created})


def _country_reports(cc: str, operator: User) -> int:
    fake = _faker(cc, "helpline-reports")
    focal = User.objects.get(username=f"focal.{cc.lower()}")
    accounts = ACCOUNTS["pt" if cc == "BR" else "es"]
    country = Country.objects.get(code=cc)
    neighbour = Country.objects.get(code=CONSULATE_HOST[cc])
    for (situation, urgency, channel, consents, step), account in zip(PLAN, accounts, strict=True):
        routed = step == "route"
        caller = {"caller_name": fake.name(), "caller_email": fake.email()} if consents else None
        report = report_log(
            actor=operator,
            situation=situation,
            urgency=urgency,
            channel=channel,
            account=account,
            place_country=neighbour if routed else country,
            place=fake.city(),
            identifiers=[{"kind": "plate", "value": fake.bothify("???###").upper()}],
            caller_consents=consents,
            caller=caller,
        )
        police = Institution.objects.get(code=f"{cc}-POLICE")
        if step == "lead":
            report_lead_assign(actor=focal, report=report, institution=police)
        elif step == "case":
            prosecutor = Institution.objects.get(code=f"{cc}-PROSECUTOR")
            report_case_open(actor=focal, report=report, institution=prosecutor, kind="TIP")
        elif step == "close":
            report_close(actor=focal, report=report, reason="Información insuficiente.")
        elif routed:
            report_route(actor=focal, report=report, to_country=neighbour)
    return len(PLAN)
