"""The HTCDS 2.0 case model, extended with SOM cases, prosecution stages and identifiers.

Field names follow HTCDS (prs_, vic_, per_, cas_, hte_, spl_, con_) in English snake case;
`personal.py` declares which of them hold personal data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.cases.fields import CodeSetField
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import owned_by


class Term(models.Model):
    """One picklist value. Loaded from data/vocabularies.csv; never edited by hand."""

    vocabulary = models.CharField(_("vocabulary"), max_length=40)
    code = models.CharField(_("code"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_pt = models.CharField(_("label (Portuguese)"), max_length=200)
    origin = models.CharField(_("origin"), max_length=10)  # htcds or quipu
    ctdc = models.CharField(_("CTDC column or value"), max_length=60, blank=True)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("picklist term")
        verbose_name_plural = _("picklist terms")
        ordering = ["vocabulary", "order"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code")
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class Owned(models.Model):
    """Every record belongs to an institution, and so to a country (DESIGN.md rule 1)."""

    owner = models.ForeignKey(
        Institution,
        verbose_name=_("owning institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.owner.country_id or "", self.owner.code


class CasePart(models.Model):
    """A row that belongs to a case, and so to the case's owner."""

    class Meta:
        abstract = True

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.case.audit_subject


@owned_by(country="owner__country", institution="owner")
class Case(Owned):
    KIND_VOCABULARY = "case_kind"

    # No index of its own: the (owner, source_key) unique index serves every read by owner,
    # and a second, smaller owner index led PostgreSQL's planner, with statistics taken before
    # an import, to scan all of the owner's cases for each source key an import probes.
    owner = models.ForeignKey(
        Institution,
        verbose_name=_("owning institution"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reference = models.CharField(_("case reference"), max_length=40)
    source_key = models.CharField(
        _("source key"), max_length=80, help_text=_("Stable key of the imported row.")
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    kind = models.CharField(_("type of case"), max_length=10, default="TIP")
    status = models.CharField(_("case status"), max_length=20, default="Active")  # cas_Status
    closure_reason = models.TextField(_("reason for closure"), blank=True)
    datasource = models.CharField(_("data source"), max_length=20, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("year of registration"), null=True)
    registered_on = models.DateField(_("date of registration"), null=True, blank=True)
    # Referral details (cas_)
    referring_organisation = models.CharField(
        _("referring organisation"), max_length=200, blank=True
    )
    incoming_referral_date = models.DateField(_("incoming referral date"), null=True, blank=True)
    incoming_referral_reason = models.CharField(
        _("reason for incoming referral"), max_length=40, blank=True
    )
    incoming_referral_details = models.TextField(_("incoming referral details"), blank=True)
    referred_organisation = models.CharField(
        _("referred to organisation"), max_length=200, blank=True
    )
    outgoing_referral_date = models.DateField(_("outgoing referral date"), null=True, blank=True)
    outgoing_referral_reason = models.CharField(
        _("reason for outgoing referral"), max_length=40, blank=True
    )
    outgoing_referral_details = models.TextField(_("outgoing referral details"), blank=True)
    # Unindexed: nothing reads cases by their creator; deleting a user (rare; accounts are
    # deactivated) scans the table once rather than every import paying for an index.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Columns of a source layout that the model derives but the source wrote differently.
    source_extras = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "source_key"], name="unique_case_source_key"),
            # Reference first, so that (owner, source_key) is the only index led by the owner.
            models.UniqueConstraint(fields=["reference", "owner"], name="unique_case_reference"),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["registration_year"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def route_events(self) -> models.QuerySet["RouteEvent"]:
        """The route events of the case's victims (each event belongs to one victim)."""
        return RouteEvent.objects.filter(victim__case=self)


@owned_by(country="owner__country", institution="owner")
class Person(Owned):
    """prs_: a victim or a perpetrator. Names, dates of birth and addresses are personal."""

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    second_name = models.CharField(_("surname(s)"), max_length=150, blank=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=30, blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    marital_status = models.CharField(_("marital status"), max_length=30, blank=True)
    number_of_children = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True
    )
    primary_language = models.CharField(_("primary language"), max_length=3, blank=True)
    secondary_language = models.CharField(_("secondary language"), max_length=3, blank=True)
    education = models.CharField(_("highest level of education"), max_length=40, blank=True)
    citizenship = models.ForeignKey(
        Country,
        verbose_name=_("citizenship"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mailing_street = models.CharField(_("street"), max_length=200, blank=True)
    mailing_city = models.CharField(_("city"), max_length=100, blank=True)
    mailing_state = models.CharField(_("state or province"), max_length=100, blank=True)
    mailing_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    mailing_country = models.CharField(_("country of address"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"#{self.pk}"


@owned_by(country="case__owner__country", institution="case__owner")
class Victim(CasePart):
    """vic_: a person's victim context within one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="victim_contexts")
    agreement_to_manage_data = models.BooleanField(
        _("agreement to manage personal data"), default=False
    )
    trafficking_status = models.CharField(_("trafficking status"), max_length=40, blank=True)
    status_decision_org = models.CharField(_("status decided by"), max_length=40, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"), max_length=20, blank=True
    )
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True
    )
    age_group = models.CharField(_("age group"), max_length=10, blank=True)
    majority_status = models.CharField(_("adult or minor"), max_length=10, blank=True)
    majority_at_exploitation = models.CharField(
        _("adult or minor at exploitation"), max_length=10, blank=True
    )
    majority_at_entry = models.CharField(_("adult or minor at entry"), max_length=10, blank=True)
    recruitment_websites = CodeSetField(
        _("recruitment websites and apps"), vocabulary="websites_and_apps"
    )
    recruitment_methods = CodeSetField(_("methods of recruitment"), vocabulary="recruitment_method")
    control_methods = CodeSetField(_("methods of control"), vocabulary="control_method")
    exploitation_types = CodeSetField(_("types of exploitation"), vocabulary="exploitation_type")
    labour_industries = CodeSetField(_("forced labour industries"), vocabulary="labour_industry")
    sex_exploitation_types = CodeSetField(
        _("types of sexual exploitation"), vocabulary="sex_exploitation_type"
    )
    exploitation_websites = CodeSetField(
        _("exploitation websites and apps"), vocabulary="websites_and_apps"
    )
    vulnerabilities = CodeSetField(_("vulnerabilities"), vocabulary="vulnerability")
    vulnerability_details = models.TextField(_("details of vulnerabilities"), blank=True)
    recruiter_relations = CodeSetField(_("relation to recruiter"), vocabulary="recruiter_relation")
    abducted = models.BooleanField(_("abducted"), null=True, blank=True)

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")

    def __str__(self) -> str:
        return f"{self.case} / #{self.person_id}"


@owned_by(country="case__owner__country", institution="case__owner")
class Perpetrator(CasePart):
    """per_: a person's role in the trafficking process within one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="perpetrator_contexts"
    )
    roles = CodeSetField(_("role in the process"), vocabulary="perpetrator_role")
    role_details = models.TextField(_("details of the role"), blank=True)

    class Meta:
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")

    def __str__(self) -> str:
        return f"{self.case} / #{self.person_id}"


@owned_by(country="victim__case__owner__country", institution="victim__case__owner")
class RouteEvent(models.Model):
    """hte_: recruitment, transit or exploitation, each with a place and a date: the route.

    An event belongs to a victim, and through the victim to a case: a key to the case as well
    would only repeat what the victim says, and cost a foreign-key check per event written.
    """

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="route_events")
    event_type = models.CharField(_("event"), max_length=20)  # Recruitment | Transit | Exploitation
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state or province"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("route event")
        verbose_name_plural = _("route events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.country_id or ''}"

    @property
    def case(self) -> Case:
        return self.victim.case

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.victim.case.audit_subject


@owned_by(country="person__owner__country", institution="person__owner")
class Identifier(models.Model):
    """A document, phone (E.164), e-mail, account, plate or handle: its own row, to be tokenised."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type of identifier"), max_length=20)
    value = models.CharField(_("value"), max_length=200)
    document_type = models.CharField(_("document type"), max_length=20, blank=True)
    issuing_country = models.ForeignKey(
        Country,
        verbose_name=_("issuing country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.person.audit_subject


@owned_by(country="case__owner__country", institution="case__owner")
class SupportPlan(CasePart):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    victim = models.ForeignKey(
        Victim, null=True, blank=True, on_delete=models.CASCADE, related_name="support_plans"
    )
    support_type = models.CharField(_("type of support"), max_length=40)
    objectives = models.TextField(_("objectives"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return self.support_type


@owned_by(country="victim__case__owner__country", institution="victim__case__owner")
class Consent(models.Model):
    """con_: consent to manage and share personal data, as recorded with the victim."""

    victim = models.OneToOneField(Victim, on_delete=models.CASCADE, related_name="consent")
    consent = models.BooleanField(_("consents to the management of personal data"), default=False)
    share_with_home_country = models.BooleanField(
        _("consents to sharing with the country of citizenship"), default=False
    )
    given_on = models.DateField(_("date of consent"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent #{self.pk}"


@owned_by(country="case__owner__country", institution="case__owner")
class ProsecutionStep(CasePart):
    """Investigation -> charge -> trial -> conviction or acquittal, each with its date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prosecution_steps")
    stage = models.CharField(_("stage"), max_length=20)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("prosecution step")
        verbose_name_plural = _("prosecution steps")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.stage


@owned_by(country="case__owner__country", institution="case__owner")
class CaseSearchText(models.Model):
    """Derived, for search only: a case's words, lower-cased and accent-folded
    (search_index.py keeps it). `personal` holds names and identifiers (rule 7)."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    public = models.TextField(blank=True)  # reference, cities, states, ~country codes
    personal = models.TextField(blank=True)  # names and identifiers

    class Meta:
        verbose_name = _("case search text")
        verbose_name_plural = _("case search texts")

    def __str__(self) -> str:
        return f"search text of case #{self.case_id}"
