from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.permissions import owned_by
from quipu.tenancy.roles import Role


class Country(models.Model):
    """An ISO 3166-1 country, loaded from pycountry with its names in es, pt and en."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=100)
    is_member = models.BooleanField(
        _("member state"),
        default=False,
        help_text=_("Member of the Regional Platform against TIP and SOM."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "es")[:2]
        return {"es": self.name_es, "pt": self.name_pt}.get(language, self.name_en)


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    CONSULATE = "consulate", _("Consulate")
    NGO = "ngo", _("Shelter or NGO")
    HELPLINE = "helpline", _("Helpline")
    INTERNATIONAL = "international", _("International organisation")
    SECRETARIAT = "secretariat", _("Regional technical secretariat")


REGIONAL_KINDS = {InstitutionKind.INTERNATIONAL, InstitutionKind.SECRETARIAT}


@owned_by(country="country", institution="pk")
class Institution(models.Model):
    """A ministry, police force, prosecutor's office, consulate, NGO, helpline or regional body."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=InstitutionKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
        help_text=_("The country the institution belongs to. Empty for regional bodies only."),
    )
    located_in = models.ForeignKey(
        Country,
        verbose_name=_("located in"),
        on_delete=models.PROTECT,
        related_name="hosted_institutions",
        null=True,
        blank=True,
        help_text=_("Where a consulate sits, when abroad."),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["country_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__isnull=False)
                | models.Q(kind__in=sorted(k.value for k in REGIONAL_KINDS)),
                name="institution_country_required_unless_regional",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name without its qualifier ("Ministerio del Interior — Punto focal nacional" ->
        "Ministerio del Interior"), for tables; the code goes in a title beside it."""
        return self.name.split(" — ")[0].strip() or self.code

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.country_id or "", self.code


@owned_by(country="membership__institution__country", institution="membership__institution")
class User(AbstractUser):
    """A person who signs in. Their institution and roles are in their membership."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def audit_subject(self) -> tuple[str, str]:
        membership = getattr(self, "membership", None)
        if membership is None:
            return "", ""
        return membership.institution.country_id or "", membership.institution.code


@owned_by(country="institution__country", institution="institution")
class Membership(models.Model):
    """Ties a user to the one institution they belong to."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution.code}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.institution.country_id or "", self.institution.code


class MembershipRole(models.Model):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="role_rows", verbose_name=_("membership")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"], name="unique_role_per_membership"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_role_display())
