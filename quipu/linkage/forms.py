from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.linkage.models import LinkageSettings, MatchNoticeSide
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
