from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_title
from quipu.tenancy.permissions import owned_by


@owned_by(
    country="recipient__membership__institution__country",
    institution="recipient__membership__institution",
)
class Notification(models.Model):
    """One message to one user: a kind (its translated title), the record's reference (such as
    REQ-000042) and the other country, and a link; never personal data."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    url = models.CharField(_("link"), max_length=300)
    # A record's reference is built from its id alone, so it carries no personal data.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    country = models.ForeignKey(
        "tenancy.Country",
        verbose_name=_("other country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The kind's title after the reference and the other country, in the active language:
        "REQ-000042 (Perú): Nueva solicitud de información para su país"."""
        title = kind_title(self.kind)
        if not self.reference:
            return title
        if self.country_id:
            return gettext("%(reference)s (%(country)s): %(title)s") % {
                "reference": self.reference,
                "country": self.country.name,
                "title": title,
            }
        return gettext("%(reference)s: %(title)s") % {"reference": self.reference, "title": title}

    @property
    def audit_subject(self) -> tuple[str, str]:
        return "", ""


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail for each notification")
    DIGEST = "digest", _("One daily digest")
    NONE = "none", _("No e-mail, in the platform only")


class NotificationSettings(models.Model):
    """How a user wants to be told, and in which language the e-mails are written."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)
