import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox: only its digest is stored, and it expires).

    `second_factor` is the authenticator the owner had passed when the token was made. Where
    two-factor login is required, a token without one, or whose authenticator has since been
    replaced, no longer works (quipu.api.authentication)."""

    public_id = models.UUIDField(_("token id"), default=uuid.uuid4, unique=True, editable=False)
    second_factor = models.ForeignKey(
        TOTPDevice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second factor"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    @property
    def short_id(self) -> str:
        """What the owner and the focal point see to tell tokens apart; not part of the secret."""
        return self.public_id.hex[:8]
