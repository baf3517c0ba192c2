import uuid

from django.db import models
from django.utils import timezone
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


class RefusedSignInTally(models.Model):
    """Failed sign-ins counted per address, kind and window instead of audited one by one:
    those with a username that names no account, and those refused unchecked during a lock.

    Anyone can send such attempts without end; one audit row each would let them grow the
    audit log, which can never be pruned, without bound (quipu/accounts/lockout.py)."""

    class Kind(models.TextChoices):
        UNKNOWN_ACCOUNT = "unknown_account", _("Unknown username")
        LOCKED = "locked", _("Refused during a lock")
        RESET_UNKNOWN = "reset_unknown", _("Reset link asked for an unknown e-mail")
        RESET_LIMITED = "reset_limited", _("Reset link refused: too many requests")
        RESET_BAD_LINK = "reset_bad_link", _("Invalid or used reset link")

    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("refused sign-ins")
        verbose_name_plural = _("refused sign-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "kind", "window_start"],
                name="refused_signin_tally_once_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address or '?'} {self.kind} {self.window_start:%Y-%m-%d %H:%M} ×{self.count}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset link, kept to limit requests per e-mail and address
    as the sign-in lockout limits them per username and address (quipu/accounts/reset.py).

    The e-mail is kept only as a keyed digest: the table tells how often an address asked,
    never for whom; rows are pruned with the sign-in failure records."""

    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    identifier_digest = models.CharField(_("e-mail digest"), max_length=64)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")
        indexes = [
            models.Index(fields=["identifier_digest", "address", "at"], name="reset_request_pair")
        ]

    def __str__(self) -> str:
        return f"{self.address or '?'} {self.at:%Y-%m-%d %H:%M}"
