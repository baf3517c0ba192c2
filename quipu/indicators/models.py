"""The Mechanism's indicator framework (axes, indicators, population) and XLSForm surveys.

The framework is regional: the secretariat edits it, everyone reads it. Survey rounds, answers
and computed values build on these tables in later steps of the Mechanism.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.models import InstitutionKind


def _in_language(row, field: str) -> str:
    """`field`'s text in the active language (es, pt, en), falling back to Spanish then English."""
    language = (get_language() or "es")[:2]
    suffix = {"es": "es", "pt": "pt", "en": "en"}.get(language, "es")
    return (
        getattr(row, f"{field}_{suffix}")
        or getattr(row, f"{field}_es")
        or getattr(row, f"{field}_en")
    )


class Axis(models.Model):
    """One of the Mechanism's axes: prevention, protection and assistance, prosecution, and
    coordination and cooperation."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def audit_subject(self) -> tuple[str, str]:
        return "", ""


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage")
    RATE_100K = "rate_100k", _("Rate per 100,000 population")
    YES_NO = "yes_no", _("Yes/no")
    ORDINAL = "ordinal", _("Ordinal scale")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    EXPLOITATION = "exploitation", _("Form of exploitation")
    NATIONALITY = "nationality", _("Nationality")


class Periodicity(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    BIENNIAL = "biennial", _("Every two years")
    ROUND = "round", _("Each survey round")


class DataSource(models.TextChoices):
    CASE_RECORDS = "case_records", _("Case records in the regional database")
    INSTITUTION_SURVEY = "institution_survey", _("Survey of national institutions")
    OFFICIAL_STATISTICS = "official_statistics", _("Official statistics")


class Computation(models.TextChoices):
    CASE_DATA = "case_data", _("From case data")
    SURVEY = "survey", _("From survey answers")
    FORMULA = "formula", _("Formula over other indicators")


class Aggregation(models.TextChoices):
    """How the answers of a country's institutions combine into one national value."""

    ANY = "any", _("Any institution answers yes")
    ALL = "all", _("All institutions answer yes")
    SUM = "sum", _("Sum of the answers")
    MEAN = "mean", _("Mean of the answers")
    LATEST = "latest", _("Latest answer")


class CaseMeasure(models.TextChoices):
    """What a case-data indicator counts in the case database for a country and period."""

    VICTIMS_DETECTED = "victims_detected", _("Detected victims of trafficking")
    CHILD_VICTIMS_DETECTED = "child_victims_detected", _("Detected child victims of trafficking")
    VICTIMS_WITH_SUPPORT_PLAN = "victims_with_support_plan", _("Victims with a support plan")
    VICTIMS_REFERRED_CONSULAR = (
        "victims_referred_consular",
        _("Victims found abroad referred through consular channels"),
    )
    SUSPECTS = "suspects", _("Persons suspected of trafficking")
    PROSECUTED = "prosecuted", _("Persons prosecuted for trafficking")
    CONVICTED = "convicted", _("Persons convicted of trafficking")
    SMUGGLING_CASES = "smuggling_cases", _("Smuggling of migrants cases")


class Indicator(models.Model):
    """One indicator of the framework. How it is computed depends on `computation`:
    case data (`case_measure`), survey answers (`aggregation` over the questions that name it),
    or a DHIS2-style formula: (numerator / denominator) x factor over other indicators."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    axis = models.ForeignKey(
        Axis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_es = models.CharField(_("name (Spanish)"), max_length=300)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    definition_es = models.TextField(_("definition (Spanish)"))
    definition_pt = models.TextField(_("definition (Portuguese)"))
    definition_en = models.TextField(_("definition (English)"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    periodicity = models.CharField(_("periodicity"), max_length=20, choices=Periodicity.choices)
    data_source = models.CharField(_("data source"), max_length=30, choices=DataSource.choices)
    reference = models.CharField(
        _("reference framework"),
        max_length=400,
        help_text=_("The public framework the indicator comes from, for example an article."),
    )
    responsible_kind = models.CharField(
        _("responsible institution type"),
        max_length=20,
        choices=InstitutionKind.choices,
        blank=True,
    )
    computation = models.CharField(_("computed"), max_length=20, choices=Computation.choices)
    case_measure = models.CharField(
        _("case measure"), max_length=40, choices=CaseMeasure.choices, blank=True
    )
    aggregation = models.CharField(
        _("aggregation across institutions"),
        max_length=10,
        choices=Aggregation.choices,
        blank=True,
    )
    numerator = models.CharField(
        _("numerator"),
        max_length=300,
        blank=True,
        help_text=_("Indicator codes as #{CODE}, #{POPULATION}, numbers and + - * ( )."),
    )
    denominator = models.CharField(_("denominator"), max_length=300, blank=True)
    factor = models.PositiveIntegerField(
        _("factor"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["axis__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def definition(self) -> str:
        return _in_language(self, "definition")

    @property
    def reference_text(self) -> str:
        """The reference in the active language when it is one the framework ships."""
        from quipu.indicators.references import reference_text

        return reference_text(self.reference)

    @property
    def audit_subject(self) -> tuple[str, str]:
        return "", ""

    def get_disaggregations_display(self) -> list[str]:
        labels = dict(Disaggregation.choices)
        return [str(labels.get(code, code)) for code in self.disaggregations]


class Population(models.Model):
    """A country's total population in a year, from a cited public source: the denominator of
    rates per 100,000 such as SDG 16.2.2."""

    country_code = models.CharField(_("country"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveBigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population figures")
        ordering = ["country_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["country_code", "year"], name="population_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.country_code} {self.year}"

    @property
    def source_text(self) -> str:
        from quipu.indicators.references import reference_text

        return reference_text(self.source)


class Survey(models.Model):
    """An XLSForm questionnaire as imported by pyxform: its survey JSON and its XForm."""

    form_id = models.CharField(_("form id"), max_length=100)
    version = models.CharField(_("version"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    default_language = models.CharField(_("default language"), max_length=100, blank=True)
    survey_json = models.JSONField(_("survey definition"))
    xform = models.TextField(_("XForm"))
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file checksum"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["form_id", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="survey_one_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.form_id} {self.version})".strip()

    @property
    def title_text(self) -> str:
        """The title in the reader's language: the settings sheet's `quipu_title::<language>`
        columns (XLSForm's form_title has one language only), else form_title."""
        from quipu.indicators.xlsform.definition import language_pick

        if "survey_json" in self.__dict__:
            titles = (self.survey_json or {}).get("quipu_title")
        else:  # lists defer the definition: read only the titles
            titles = (
                Survey.objects.filter(pk=self.pk)
                .values_list("survey_json__quipu_title", flat=True)
                .first()
            )
        if not isinstance(titles, dict) or not titles:
            return self.title
        language = language_pick(
            [*titles, self.default_language], self.default_language, get_language() or ""
        )
        return titles.get(language) or self.title

    @property
    def audit_subject(self) -> tuple[str, str]:
        return "", ""


class SurveyQuestion(models.Model):
    """One question of a survey, in form order; `indicator` when its answers feed one."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"))
    path = models.CharField(_("path"), max_length=500)
    name = models.CharField(_("name"), max_length=200)
    question_type = models.CharField(_("type"), max_length=60)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "path"], name="survey_question_path_unique")
        ]

    def __str__(self) -> str:
        return self.path


# Survey rounds live in their own module to keep this one about the framework.
from quipu.indicators.round_models import (  # noqa: E402, F401
    Submission,
    SubmissionEvent,
    SubmissionState,
    SurveyRound,
)
