from django_tasks import task

from quipu.linkage.services import encodings_refresh


@task()
def encodings_refresh_task(person_ids: list[int]) -> int:
    """Re-encode these people after their writer committed; returns the encodings written."""
    return encodings_refresh(person_ids).encoded
