"""Country targets: what each member state aims for on an indicator, and by which year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.permissions import owned_by


@owned_by(country="country_id", institution="institution_id")
class CountryTarget(models.Model):
    """The value a country aims to reach on an indicator by `target_year`. Yes/no indicators
    hold 1 (yes) or 0 (no). One target per indicator and country; changes are audited."""

    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    country = models.ForeignKey(
        "tenancy.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    institution = models.ForeignKey(
        "tenancy.Institution",
        verbose_name=_("set by institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("country target")
        verbose_name_plural = _("country targets")
        ordering = ["country_id", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country"], name="country_target_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.indicator_id}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.country_id, ""
