"""Readable names for receipt events. The signed document keeps the stable code; pages show the
label the workflow registered for it, in the reader's language."""

_LABELS: dict[str, object] = {}


def receipt_event_register(code: str, label) -> None:
    """`label` is a lazy translation, e.g. _("Request sent")."""
    _LABELS[code] = label


def receipt_event_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code
