"""How the audit trail names a purpose in the reader's language. Purposes are stored in
English inside the hash chain, so they are translated when shown; each app registers the
words its purposes start with."""

_LABELS: dict[str, object] = {}  # stored words -> lazy label, with %(rest)s for what follows


def purpose_register(words: str, label) -> None:
    _LABELS[words] = label


def purpose_label(purpose: str) -> str:
    """The purpose in the reader's language; one no app registered is shown as stored."""
    for words in sorted(_LABELS, key=len, reverse=True):
        if purpose == words or purpose.startswith(words + " "):
            label = str(_LABELS[words])
            rest = purpose[len(words) :].strip()
            return label % {"rest": rest} if "%(rest)s" in label else label
    return purpose
