"""Data for the backup drill, built inside the drilled deployment (`quipu shell -c`): the demo
region, one case per member state, and reads of them in the audit log."""


def drill_data_build() -> None:
    from io import StringIO

    from quipu.tenancy.demo import demo_build
    from tests.conftest import sample_cases_build

    demo_build(stdout=StringIO())
    sample_cases_build()
    drill_reads_record()


def drill_reads_record() -> None:
    """A focal point reads three cases: rows for the audit chain."""
    from quipu.audit.models import Action
    from quipu.audit.services import audit_record
    from quipu.cases.models import Case
    from quipu.tenancy.models import User

    actor = User.objects.get(username="focal.co")
    for case in Case.objects.order_by("pk")[:3]:
        audit_record(actor=actor, action=Action.READ, obj=case, purpose="backup drill")
