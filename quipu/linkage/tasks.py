from django_tasks import task

from quipu.linkage.models import LinkRun
from quipu.linkage.runs import link_people, link_run_full
from quipu.linkage.services import encodings_owner_sync, encodings_refresh


@task()
def encodings_refresh_task(person_ids: list[int]) -> int:
    """Re-encode these people after their writer committed, then match their new encodings;
    returns the encodings written."""
    encoded = encodings_refresh(person_ids).encoded
    link_people(person_ids)
    return encoded


@task()
def link_run_task(run_id: int) -> int:
    """A full matching run the secretariat asked for; returns the notices it created."""
    run = LinkRun.objects.get(pk=run_id)
    if run.status != LinkRun.Status.QUEUED:  # picked up twice: the first one did it
        return 0
    return link_run_full(run=run).notices_new


@task()
def encodings_owner_sync_task(institution_id: int) -> int:
    """After a bulk import: encode the institution's new people and match them; returns the
    encodings written."""
    summary, encoded = encodings_owner_sync(institution_id)
    link_people(encoded)
    return summary.encoded
