"""Demo JITs: the VE–CO–EC–PE network case (active, lead Colombia, with linked cases, notes,
tasks and a small text file), a proposed AR–BO team and a closed BR–PY one. Written through the
services (history, audit and notifications are real) and keyed by `demo_key`, so a second run
adds nothing. Free texts are demo data, in Spanish.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.cases.models import Case
from quipu.cooperation.jits.attachments import attachment_add
from quipu.cooperation.jits.models import Jit
from quipu.cooperation.jits.services import jit_close, jit_open, membership_answer
from quipu.cooperation.jits.workspace import case_link_add, note_add, task_add
from quipu.tenancy.models import Institution, User

NETWORK = ("CO", "VE", "EC", "PE")  # the lead first
NOTES = {
    "CO": "Reunión de coordinación: la red capta en Cúcuta y traslada por Ipiales.",
    "VE": "Identificamos dos reclutadores en San Cristóbal; enviamos referencias de casos.",
    "EC": "Control migratorio de Rumichaca: registros de paso solicitados.",
    "PE": "Posible lugar de explotación en Lima; fiscalía especializada informada.",
}
TASKS = [
    ("CO", "VE", "Enviar registros de llamadas de los reclutadores", 7),
    ("EC", "EC", "Cruce de registros migratorios de Rumichaca", -3),
    ("PE", "CO", "Proponer fecha para allanamientos coordinados", 21),
]
MINUTES = (
    "Acta de constitución del equipo conjunto de investigación\n"
    "Miembros: fiscalías de Colombia (líder), Venezuela, Ecuador y Perú.\n"
    "Base jurídica: Acuerdo Marco Iberoamericano de ECI (2019).\n"
)


def demo_build(*, stdout) -> None:
    built = [
        key
        for key, build in (
            ("demo:network", _network),
            ("demo:ar-bo", _proposed),
            ("demo:br-py", _closed),
        )
        if not Jit.objects.filter(demo_key=key).exists() and build(key)
    ]
    stdout.write(_("Joint investigation teams: %(count)s added.") % {"count": len(built)})


def _prosecutor(country: str) -> User | None:
    return User.objects.filter(username=f"prosecutor.{country.lower()}").first()


def _open(key: str, lead: str, others: tuple[str, ...], name: str, basis: str, days: int) -> Jit:
    today = timezone.localdate()
    jit = jit_open(
        actor=_prosecutor(lead),
        name=name,
        lead_country=lead,
        legal_basis=basis,
        legal_basis_details="",
        starts_on=today - timedelta(days=days),
        ends_on=today + timedelta(days=365 - days),
        invite=list(Institution.objects.filter(code__in=[f"{c}-PROSECUTOR" for c in others])),
    )
    Jit.objects.filter(pk=jit.pk).update(demo_key=key)
    return jit


def _network(key: str) -> bool:
    if any(_prosecutor(country) is None for country in NETWORK):
        return False
    lead, *others = NETWORK
    jit = _open(key, lead, tuple(others), "Red Cordillera", "ibero_american", 40)
    for country in others:
        membership_answer(actor=_prosecutor(country), jit=jit, action="accept")
    for country in NETWORK:
        prosecutor = _prosecutor(country)
        case = Case.objects.filter(owner__country_id=country, kind="TIP").order_by("id").first()
        if case is not None:
            case_link_add(actor=prosecutor, jit=jit, case=case)
        note_add(actor=prosecutor, jit=jit, text=NOTES[country])
    today = timezone.localdate()
    for by, owner, title, days in TASKS:
        task_add(
            actor=_prosecutor(by),
            jit=jit,
            title=title,
            owner=_prosecutor(owner),
            due_on=today + timedelta(days=days),
        )
    minutes = ContentFile(MINUTES.encode(), name="acta-de-constitucion.txt")
    attachment_add(actor=_prosecutor(lead), jit=jit, upload=minutes)
    return True


def _proposed(key: str) -> bool:
    if _prosecutor("AR") is None:
        return False
    _open(key, "AR", ("BO",), "Operación Altiplano", "bilateral", 5)
    return True


def _closed(key: str) -> bool:
    if _prosecutor("BR") is None or _prosecutor("PY") is None:
        return False
    jit = _open(key, "BR", ("PY",), "Operação Tríplice Fronteira", "palermo", 300)
    membership_answer(actor=_prosecutor("PY"), jit=jit, action="accept")
    note_add(actor=_prosecutor("BR"), jit=jit, text="Sentencias obtenidas; se cierra el equipo.")
    jit_close(actor=_prosecutor("BR"), jit=jit)
    return True
