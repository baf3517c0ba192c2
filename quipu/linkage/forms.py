from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.linkage.evidence import Band
from quipu.linkage.models import LinkageSettings, MatchNoticeSide, Role
from quipu.linkage.queue import QueueFilters
from quipu.linkage.review import REASON_MAX


class NoticeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=MatchNoticeSide.Decision.choices[1:],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you confirm or reject: what your team checked. The other country sees your "
            "decision, not this text."
        ),
    )
    reveal_consent = forms.BooleanField(
        label=_("Once both countries confirm, show each other our case references"),
        required=False,
        help_text=_(
            "Only when you confirm, and only if the other country agrees too: each side then "
            "sees the other's case reference and the kind of identifier the records share "
            "(never its value)."
        ),
    )


class GroupDecisionForm(NoticeDecisionForm):
    """One decision for every open notice of a group; `shown` says which ones the user saw."""

    shown = forms.CharField(widget=forms.HiddenInput, max_length=16)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "Why you confirm or reject every notice of this group: what your team checked. The "
            "other countries see your decision on each notice, not this text."
        )


class QueueForm(forms.Form):
    """The queue's filters and order, read from GET parameters: codes only."""

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    band = forms.ChoiceField(
        label=_("Evidence"),
        required=False,
        choices=[
            ("", _("Any evidence")),
            (Band.STRONG, _("Strong")),
            (Band.NAME, _("Probable")),
            (Band.IDENTIFIER, _("Identifier hit")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Person matches and identifier hits")),
            ("person", _("Person matches")),
            ("identifier", _("Identifier hits")),
        ],
    )
    country = forms.ChoiceField(label=_("Other country"), required=False)
    role = forms.ChoiceField(
        label=_("Role of your record"), required=False, choices=[("", _("Everyone")), *Role.choices]
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("band", _("Strongest evidence first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("country", _("By other country")),
            ("size", _("Largest groups first")),
        ],
    )

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Every country")), *countries]

    def filters(self) -> QueueFilters:
        """The filters, once the form is valid; an empty value means no filter."""
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return QueueFilters(**data)


class LinkageSettingsForm(forms.Form):
    notice_threshold = forms.FloatField(
        label=_("Notice threshold"),
        min_value=0.5,
        max_value=0.999,
        help_text=_(
            "Pairs at or above this match probability (0.5 to 0.999) become match notices. "
            "Lower finds more true links and sends more notices to review."
        ),
    )
    notice_daily_limit = forms.IntegerField(
        label=_("Daily notice limit"),
        min_value=1,
        max_value=1000,
        help_text=LinkageSettings._meta.get_field("notice_daily_limit").help_text,
    )
    probe_alert_at = forms.IntegerField(
        label=_("Probe alert from"),
        min_value=1,
        max_value=1000,
        help_text=LinkageSettings._meta.get_field("probe_alert_at").help_text,
    )
    recent_days = forms.IntegerField(
        label=_("Recent records (days)"),
        min_value=1,
        max_value=365,
        help_text=LinkageSettings._meta.get_field("recent_days").help_text,
    )
