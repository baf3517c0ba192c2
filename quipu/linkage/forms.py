from django import forms
from django.utils.translation import gettext_lazy as _

from quipu.linkage.models import MatchNoticeSide
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
