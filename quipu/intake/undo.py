"""Undoing an import as a whole: its new cases, their people and everything under them go in
one transaction, within 30 days, audited. See docs/decisions.md, 2026-12-06 ("An import can
be undone for 30 days when nothing has touched its cases since").

Only an import that created cases and replaced none can be undone: a replaced case's former
version is not kept. An undo is refused, and nothing is removed, once any of its cases was
changed, or used by a record outside the import (a support plan, a request, a team, a
referral), or is no longer there: removing it then would lose someone else's work.
"""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action, AuditEntry
from quipu.audit.services import audit_record
from quipu.cases.models import (
    Case,
    CaseSearchText,
    Consent,
    Identifier,
    Perpetrator,
    Person,
    ProsecutionStep,
    RouteEvent,
    Victim,
)
from quipu.errors import InvalidTransition, NotAllowed
from quipu.intake.models import ImportJob, JobStatus
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability, Scope

UNDO_DAYS = 30
RANGES_PER_STATEMENT = 200
IDS_PER_STATEMENT = 5000

# What an import writes, and how each reaches its case.
WRITTEN: dict[type, tuple[str, ...]] = {
    Case: ("pk",),
    Victim: ("case",),
    Perpetrator: ("case",),
    RouteEvent: ("victim__case",),
    Consent: ("victim__case",),
    ProsecutionStep: ("case",),
    CaseSearchText: ("case",),  # derived from the case by the writer, for search
    Person: ("victim_contexts__case", "perpetrator_contexts__case"),
    Identifier: ("person__victim_contexts__case", "person__perpetrator_contexts__case"),
}


class UndoRefused(InvalidTransition):
    pass


def import_actable_by(*, user, job: ImportJob) -> bool:
    """Who may confirm, cancel or undo an import: its requester, or a writer of the whole
    country (the focal point), among those who can reach it at all."""
    if not scoped(user, ImportJob.objects.filter(pk=job.pk), Capability.WRITE_CASES).exists():
        return False
    principal = principal_for(user)
    return job.requested_by_id == user.pk or principal.scope(Capability.WRITE_CASES) in (
        Scope.COUNTRY,
        Scope.REGION,
    )


def undo_deadline(job: ImportJob) -> datetime.datetime | None:
    return job.finished_at + datetime.timedelta(days=UNDO_DAYS) if job.finished_at else None


def import_undo_refusal(job: ImportJob, *, now=None) -> str | None:
    """Why this import cannot be undone now (translated), or None if it can. The checks that
    need the database (changes since, other records) run in `import_undo` itself."""
    now = now or timezone.now()
    if job.status == JobStatus.UNDONE:
        return str(_("This import was already undone."))
    if job.status != JobStatus.DONE:
        return str(_("Only a saved import can be undone."))
    deadline = undo_deadline(job)
    if deadline is None or deadline < now:
        return str(
            _("An import can be undone for %(days)s days; this one ended on %(date)s.")
            % {"days": UNDO_DAYS, "date": _date(job.finished_at)}
        )
    if job.updated_count:
        return str(
            _(
                "This import replaced %(count)s cases that were saved before, and their former "
                "versions are not kept, so it cannot be undone as a whole. Correct those cases "
                "by hand, or import the earlier file again."
            )
            % {"count": job.updated_count}
        )
    if not job.created_count or not job.created_case_ranges:
        return str(_("This import added no cases: there is nothing to undo."))
    return None


def _date(moment) -> str:
    return formats.date_format(moment, "SHORT_DATE_FORMAT") if moment else "—"


def import_undo(*, actor, job: ImportJob, request=None) -> int:
    """Remove every case the import created, with their people; returns how many cases."""
    if not import_actable_by(user=actor, job=job):
        denial_record(actor, capability=Capability.WRITE_CASES, obj=job, request=request)
        raise NotAllowed(
            _("Only the person who imported the file, or their focal point, may undo it.")
        )
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("owner").get(pk=job.pk)
        reason = import_undo_refusal(job)
        if reason:
            raise UndoRefused(reason, code="undo_refused")
        cases = _cases_of(job)
        _refuse_if_touched(job, cases)
        person_ids = _people_of(cases)
        encodings = _encoded(person_ids)
        _withdraw_notices(sorted(encodings))
        removed = _delete(job, person_ids)
        if encodings:
            # The encodings of removed people go too (rule 2: the matcher keeps nothing of
            # them); a refresh of people who are gone deletes their encodings and tokens.
            from quipu.linkage.services import encodings_refresh

            encodings_refresh(encodings.values(), actor=actor)
        job.status, job.undone_at, job.undone_by = JobStatus.UNDONE, timezone.now(), actor
        job.save(update_fields=["status", "undone_at", "undone_by"])
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="cases.case",
            subject_country=job.owner.country_id or "",
            subject_institution=job.owner.code,
            purpose="import undo",
            detail={"import": str(job.pk), "cases": removed, "people": len(person_ids)},
            request=request,
        )
    return removed


def _ranges_q(ranges: list[list[int]], path: str = "pk") -> Q:
    condition = Q(pk__in=[])
    for first, last in ranges:
        condition |= Q(**{f"{path}__range": (first, last)})
    return condition


def _chunks(ranges: list[list[int]]):
    for start in range(0, len(ranges), RANGES_PER_STATEMENT):
        yield ranges[start : start + RANGES_PER_STATEMENT]


def _cases_of(job: ImportJob) -> list[QuerySet]:
    """The import's cases as querysets of a few hundred id ranges each."""
    return [
        Case.objects.filter(_ranges_q(chunk), owner_id=job.owner_id)
        for chunk in _chunks(job.created_case_ranges)
    ]


def _refuse_if_touched(job: ImportJob, cases: list[QuerySet]) -> None:
    present = sum(chunk.count() for chunk in cases)
    if present != job.created_count:
        raise UndoRefused(
            _(
                "Some of the cases this import added were removed or replaced since, so it "
                "can no longer be undone as a whole."
            ),
            code="undo_cases_gone",
        )
    changed = any(
        chunk.filter(Q(updated_at__gt=job.finished_at) | Q(created_at__gt=job.finished_at)).exists()
        or Person.objects.filter(
            Q(victim_contexts__case__in=chunk) | Q(perpetrator_contexts__case__in=chunk),
            updated_at__gt=job.finished_at,
        ).exists()
        for chunk in cases
    )
    if changed or _audited_changes_since(job, cases) or _used_elsewhere(cases):
        raise UndoRefused(
            _(
                "Some of the cases this import added were changed or used since (edited, given "
                "a support plan, or named in a request, a team or a referral), so it can no "
                "longer be undone as a whole. Remove those cases by hand first, if they must go."
            ),
            code="undo_cases_touched",
        )


def _audited_changes_since(job: ImportJob, cases: list[QuerySet]) -> bool:
    """Every change of a case's parts is audited (rule 3): any since the import, on a part
    of one of its cases, is a change the undo would throw away."""
    labels = {model._meta.label_lower: model for model in WRITTEN}
    changes = AuditEntry.objects.filter(
        at__gt=job.finished_at,
        subject_institution=job.owner.code,
        action__in=[Action.CREATE, Action.UPDATE, Action.DELETE],
        object_type__in=list(labels),
    ).values_list("object_type", "object_id")
    ids_by_model: dict[type, set[int]] = {}
    for object_type, object_id in changes.iterator():
        if object_id.isdigit():
            ids_by_model.setdefault(labels[object_type], set()).add(int(object_id))
    for model, ids in ids_by_model.items():
        for chunk in cases:
            reached = _any_path(WRITTEN[model], chunk)
            if model._base_manager.filter(reached, pk__in=ids).exists():
                return True
    return False


def _used_elsewhere(cases: list[QuerySet]) -> bool:
    """Whether a record the import did not write points at one it did (found from the
    models' own relations, so a new kind of link is checked without a change here)."""
    for model, paths in WRITTEN.items():
        for relation in model._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete):
                continue
            if not (relation.one_to_many or relation.one_to_one):
                continue
            if relation.related_model in WRITTEN:
                continue
            for chunk in cases:
                mine = model._base_manager.filter(_any_path(paths, chunk)).values("pk")
                name = relation.field.name
                if relation.related_model._base_manager.filter(**{f"{name}__in": mine}).exists():
                    return True
    return False


def _any_path(paths: tuple[str, ...], chunk: QuerySet) -> Q:
    reached = Q()
    for path in paths:
        reached |= Q(pk__in=chunk) if path == "pk" else Q(**{f"{path}__in": chunk})
    return reached


def _people_of(cases: list[QuerySet]) -> list[int]:
    ids: set[int] = set()
    for chunk in cases:
        ids.update(Victim.objects.filter(case__in=chunk).values_list("person_id", flat=True))
        ids.update(Perpetrator.objects.filter(case__in=chunk).values_list("person_id", flat=True))
    return sorted(ids)


def _encoded(person_ids: list[int]) -> dict[int, int]:
    """Encoding id -> person id, for those of the people the worker has encoded already."""
    from quipu.linkage.models import PersonEncoding

    found: dict[int, int] = {}
    for start in range(0, len(person_ids), IDS_PER_STATEMENT):
        chunk = person_ids[start : start + IDS_PER_STATEMENT]
        found.update(
            PersonEncoding.objects.filter(person_id__in=chunk).values_list("pk", "person_id")
        )
    return found


def _withdraw_notices(encoding_ids: list[int]) -> None:
    """Notices on the removed people that nobody decided yet leave both queues: they stood
    for a record that was never the institution's. Decided ones stay, as history."""
    from quipu.linkage.models import MatchNotice

    waiting = [MatchNotice.Status.PENDING, MatchNotice.Status.HELD]
    for start in range(0, len(encoding_ids), IDS_PER_STATEMENT):
        chunk = encoding_ids[start : start + IDS_PER_STATEMENT]
        MatchNotice.objects.filter(
            Q(encoding_low__in=chunk) | Q(encoding_high__in=chunk), status__in=waiting
        ).update(status=MatchNotice.Status.WITHDRAWN, updated_at=timezone.now())


def _delete(job: ImportJob, person_ids: list[int]) -> int:
    """Leaves first, one statement per table and chunk: nothing points at these rows any
    more (checked above), so no row is loaded to be deleted."""
    removed = 0
    for chunk in _cases_of(job):
        victims = Victim.objects.filter(case__in=chunk)
        for leaves in (
            RouteEvent.objects.filter(victim__in=victims),
            Consent.objects.filter(victim__in=victims),
            ProsecutionStep.objects.filter(case__in=chunk),
            CaseSearchText.objects.filter(case__in=chunk),
            Perpetrator.objects.filter(case__in=chunk),
            victims,
        ):
            leaves._raw_delete(leaves.db)
        removed += chunk._raw_delete(chunk.db)
    # The import made these people for these cases alone, and nothing else points at them
    # (checked above; the database's foreign keys would refuse the commit otherwise).
    for start in range(0, len(person_ids), IDS_PER_STATEMENT):
        chunk = person_ids[start : start + IDS_PER_STATEMENT]
        identifiers = Identifier.objects.filter(person_id__in=chunk)
        identifiers._raw_delete(identifiers.db)
        people = Person.objects.filter(pk__in=chunk)
        people._raw_delete(people.db)
    return removed
