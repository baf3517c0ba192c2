from django_tasks import task

from quipu.accounts.reset import password_reset_email_send


@task()
def password_reset_email_task(user_id: int, language: str) -> bool:
    """Send one password-reset link; apart from the request, so its timing tells nothing."""
    return password_reset_email_send(user_id=user_id, language=language)
