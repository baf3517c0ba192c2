from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX: an HTCDS template, a CTDC file or the Quipu template."),
    )
    institution = forms.ModelChoiceField(label=_("Owning institution"), queryset=None)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("Recognise it from the columns")),
            ("quipu", _("Quipu template")),
            ("htcds", _("HTCDS template")),
            ("ctdc", _("CTDC dataset")),
        ],
        initial="auto",
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx", ".xlsm", ".txt"}:
            raise forms.ValidationError(_("Only CSV and XLSX files can be imported."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


class ConfirmForeignForm(forms.Form):
    """An explicit tick: the rows are this institution's cases, whatever countries they name."""

    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["confirm"]
        field.label = _("I confirm that these are cases of %(institution)s.") % {
            "institution": institution.name
        }
        field.error_messages["required"] = _(
            "Tick the box to confirm, or cancel the import: nothing is saved without it."
        )


class UndoForm(forms.Form):
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["confirm"]
        field.label = _(
            "I understand that the %(count)s cases this import added will be removed."
        ) % {"count": count}
        field.error_messages["required"] = _("Tick the box to undo the import.")
