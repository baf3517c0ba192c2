from django_tasks import task

from quipu.notifications.services import notification_emails_send


@task()
def notification_emails_task(ids: list[int]) -> int:
    """Send the e-mails of new notifications; returns how many went out."""
    return notification_emails_send(ids)
