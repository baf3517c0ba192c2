"""Telling users that something needs them: in the platform, and by e-mail (DESIGN.md rule 4:
the message is the kind's title, the record's reference and the other country, and a link,
never personal data)."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quipu.notifications.kinds import kind_known
from quipu.notifications.models import EmailMode, Notification, NotificationSettings
from quipu.tenancy.models import User
from quipu.tenancy.roles import Capability, Role, widest_scope


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    url: str,
    reference: str = "",
    country: str | None = None,
) -> list[Notification]:
    """One notification per distinct active recipient; e-mails go out after the commit.

    `url` is a site path built with reverse() from record ids, so it carries no personal data;
    `reference` is the record's reference (REQ-000042: from its id), `country` the ISO code of
    the other country of a two-country record, so that each title tells its record apart.
    """
    if not kind_known(kind):
        raise ValueError(f"unregistered notification kind {kind!r}")
    try:
        resolve(url)
    except Resolver404:
        raise ValueError(f"notification link {url!r} is not a route of the site") from None
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, url=url, reference=reference, country_id=country
            )
            for pk in users
        ]
    )
    if rows:
        ids = [row.pk for row in rows]  # both databases return the new keys
        transaction.on_commit(lambda: _emails_enqueue(ids))
    return rows


def recipients_with(
    capability: Capability, *, country: str | None = None, institution_id: int | None = None
) -> QuerySet[User]:
    """Active users of a country (or one institution) whose roles grant `capability`."""
    users = User.objects.filter(is_active=True, membership__isnull=False)
    if institution_id is not None:
        users = users.filter(membership__institution_id=institution_id)
    if country is not None:
        users = users.filter(membership__institution__country_id=country)
    granting = [role.value for role in Role if widest_scope([role], capability) is not None]
    return users.filter(membership__role_rows__role__in=granting).distinct()


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk).select_related("country")


def unread_count(*, user) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def notification_open(*, actor, notification: Notification) -> str:
    """Mark as read and return where it points."""
    if notification.recipient_id != actor.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification.url


def notifications_all_read(*, actor) -> int:
    return notifications_for(user=actor).filter(read_at__isnull=True).update(read_at=timezone.now())


def settings_for(user) -> NotificationSettings:
    return NotificationSettings.objects.get_or_create(user=user)[0]


def notification_settings_update(*, actor, email_mode: str, language: str) -> None:
    row = settings_for(actor)
    row.email_mode, row.language = email_mode, language
    row.save(update_fields=["email_mode", "language"])


def _emails_enqueue(ids: list[int]) -> None:
    from quipu.notifications.tasks import notification_emails_task

    notification_emails_task.enqueue(ids)


def _absolute(url: str) -> str:
    return settings.QUIPU_BASE_URL.rstrip("/") + url


def notification_emails_send(ids: list[int]) -> int:
    """E-mail each not-yet-e-mailed notification whose recipient wants one at once."""
    sent = 0
    rows = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "recipient__notification_settings", "country"
    )
    for row in rows:
        user = row.recipient
        preference = getattr(user, "notification_settings", None)
        mode = preference.email_mode if preference else EmailMode.IMMEDIATE
        if mode != EmailMode.IMMEDIATE or not user.email:
            continue
        with translation.override(preference.language if preference else settings.LANGUAGE_CODE):
            title = row.title
            body = _("%(title)s\n\nOpen it in Quipu: %(link)s") % {
                "title": title,
                "link": _absolute(row.url),
            }
            send_mail(f"[Quipu] {title}", body, None, [user.email])
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
        sent += 1
    return sent


def digests_send(*, now: datetime | None = None) -> int:
    """One e-mail per digest user listing the notifications since their last digest."""
    now = now or timezone.now()
    sent = 0
    for preference in NotificationSettings.objects.filter(
        email_mode=EmailMode.DIGEST, user__is_active=True
    ).select_related("user"):
        user = preference.user
        rows = notifications_for(user=user).filter(created_at__lte=now)
        if preference.digest_sent_at:
            rows = rows.filter(created_at__gt=preference.digest_sent_at)
        rows = list(rows.order_by("created_at"))
        if rows and user.email:
            with translation.override(preference.language):
                lines = [f"- {row.title}: {_absolute(row.url)}" for row in rows]
                subject = _("[Quipu] Your daily digest: %(count)s notifications") % {
                    "count": len(rows)
                }
                send_mail(subject, "\n".join(lines), None, [user.email])
            sent += 1
        preference.digest_sent_at = now
        preference.save(update_fields=["digest_sent_at"])
    return sent
