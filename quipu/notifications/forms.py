from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from quipu.notifications.models import EmailMode


class NotificationSettingsForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)
