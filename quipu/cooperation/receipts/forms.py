"""Web forms for receipts: the list's filter and the upload of a receipt to verify."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_RECEIPT_BYTES = 256 * 1024


class ReceiptFilterForm(forms.Form):
    event = forms.ChoiceField(label=_("Event"), required=False)

    def __init__(self, *args, events: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("All events")), *((e, e) for e in events)]


class ReceiptUploadForm(forms.Form):
    receipt_file = forms.FileField(
        label=_("Receipt file"),
        help_text=_("The JSON file downloaded from the platform, as it was received."),
    )

    def clean_receipt_file(self) -> dict:
        upload = self.cleaned_data["receipt_file"]
        if upload.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError(_("The file is too large to be a receipt."))
        try:
            document = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("The file is not a JSON receipt.")) from None
        return document
