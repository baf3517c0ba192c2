"""What a notification can be about. Each app registers its kinds; a kind's title is the whole
message, so a notification can never carry personal data, only its title and a link."""

from dataclasses import dataclass

_KINDS: dict[str, "NotificationKind"] = {}


@dataclass(frozen=True)
class NotificationKind:
    code: str
    title: str  # a lazy translation, e.g. _("New information request")


def kind_register(code: str, title) -> NotificationKind:
    kind = NotificationKind(code, title)
    _KINDS[code] = kind
    return kind


def kind_title(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.title) if kind else code


def kind_known(code: str) -> bool:
    return code in _KINDS
