"""Permission-matrix rules for joint investigation teams (see tests/matrix_rules.py).

A JIT is seen through its accepted members only. The matrix record of a country is a JIT whose
only accepted member is that country's prosecutors' office, so exactly prosecutor.xx may open it
and every other principal (the same country's focal point and police included) gets 404.
"""

from tests.matrix_rules import ANY, Route, roles

WORKERS = roles("focal_point", "caseworker", "prosecutor")  # WORK_IN_JIT
POST_ONLY = {"ok": (405,), "kwargs": {"pk": 1}}

ROUTES = {
    "jits:list": Route(WORKERS),
    "jits:new": Route(roles("prosecutor")),
    "jits:detail": Route(roles("prosecutor"), obj="jit"),
    "jits:answer": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "accept"}),
    "jits:invite": Route(ANY, **POST_ONLY),
    "jits:leave": Route(ANY, **POST_ONLY),
    "jits:remove": Route(ANY, ok=(405,), kwargs={"pk": 1, "institution": 1}),
    "jits:close": Route(ANY, **POST_ONLY),
    "jits:note_new": Route(ANY, **POST_ONLY),
    "jits:task_new": Route(ANY, **POST_ONLY),
    "jits:case_link_new": Route(ANY, **POST_ONLY),
    "jits:attachment_new": Route(ANY, **POST_ONLY),
    "jits:task_done": Route(ANY, **POST_ONLY),
    "jits:attachment": Route(roles("prosecutor"), obj="jit_attachment"),
    "api:jits": Route(WORKERS),
    "api:jit-invitations": Route(WORKERS),
    "api:jit": Route(roles("prosecutor"), obj="jit"),
    "api:jit-invite": Route(WORKERS, **POST_ONLY),  # others: 403
    "api:jit-membership": Route(WORKERS, **POST_ONLY),
    "api:jit-removal": Route(WORKERS, **POST_ONLY),
    "api:jit-close": Route(WORKERS, **POST_ONLY),
    "api:jit-notes": Route(WORKERS, **POST_ONLY),
    "api:jit-tasks": Route(WORKERS, **POST_ONLY),
    "api:jit-cases": Route(WORKERS, **POST_ONLY),
    "api:jit-attachments": Route(WORKERS, **POST_ONLY),
    "api:jit-task-done": Route(WORKERS, **POST_ONLY),
    "api:jit-attachment": Route(roles("prosecutor"), obj="jit_attachment"),
}


def _matrix_jit(country: str):
    from datetime import date

    from django.utils import timezone

    from quipu.cooperation.jits.models import Jit, Member
    from quipu.tenancy.models import Institution

    office = Institution.objects.get(code=f"{country}-PROSECUTOR")
    jit, created = Jit.objects.get_or_create(
        demo_key=f"matrix:{country}",
        defaults={
            "name": f"Matrix {country}",
            "opening_institution": office,
            "lead_country_id": country,
            "legal_basis": "palermo",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2026, 12, 31),
            "opened_at": timezone.now(),
        },
    )
    if created:
        Member.objects.create(
            jit=jit, institution=office, state="accepted", invited_at=timezone.now()
        )
    return jit


def _matrix_attachment(country: str):
    import hashlib

    from django.utils import timezone

    from quipu.cooperation.jits.attachments import attachments_dir
    from quipu.cooperation.jits.models import Attachment

    jit = _matrix_jit(country)
    attachment = Attachment.objects.filter(jit=jit).first()
    if attachment is None:
        content = f"Matrix {country}\n".encode()
        stored_name = f"matrix-{country.lower()}"  # the same file each run: none pile up
        (attachments_dir() / stored_name).write_bytes(content)
        attachment = Attachment.objects.create(
            jit=jit,
            institution=jit.opening_institution,
            name=f"matrix-{country.lower()}.txt",
            stored_name=stored_name,
            content_type="text/plain",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
        )
    return attachment


RECORDS = {"jit": _matrix_jit, "jit_attachment": _matrix_attachment}
