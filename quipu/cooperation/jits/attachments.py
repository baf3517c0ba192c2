"""Files of the workspace. Kept outside the web root and MEDIA, under random names; checked by
their content (magic bytes, with `filetype`), not their extension, against an allow-list and a
size limit; hashed with SHA-256; every download audited as an export.

Settings (each optional): QUIPU_ATTACHMENTS_DIR (default var/attachments) and
QUIPU_ATTACHMENT_MAX_BYTES (default 20 MB), read from Django settings, else the environment.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.config.environment import env_int, var_dir
from quipu.cooperation.jits.models import Attachment, Jit
from quipu.cooperation.jits.services import acting_member, purpose_of, writable
from quipu.cooperation.jits.workspace import activity_notify
from quipu.errors import InvalidInput, InvalidTransition

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# What the content must be, by MIME type found in its first bytes -> the extension it gets.
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}
TEXT_TYPES = {"csv": "text/csv", "txt": "text/plain"}
HEAD_BYTES = 8192
MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def attachments_dir() -> Path:
    configured = getattr(settings, "QUIPU_ATTACHMENTS_DIR", "") or os.environ.get(
        "QUIPU_ATTACHMENTS_DIR", ""
    )
    path = Path(configured) if configured else var_dir() / "attachments"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def max_bytes() -> int:
    return int(
        getattr(settings, "QUIPU_ATTACHMENT_MAX_BYTES", 0)
        or env_int("QUIPU_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    )


def content_type_of(path: Path, name: str) -> tuple[str, str]:
    """(MIME type, extension) of the file's content if it is allowed, else InvalidInput."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED:
            return kind.mime, ALLOWED[kind.mime]
        raise InvalidInput(_refusal())
    if _is_plain_text(path, head):
        extension = "csv" if name.lower().endswith(".csv") else "txt"
        return TEXT_TYPES[extension], extension
    raise InvalidInput(_refusal())


def _refusal() -> str:
    return _(
        "This type of file is not accepted. Attach a PDF, PNG or JPEG image, plain text or CSV "
        "in UTF-8, or a DOCX, XLSX or ODT document."
    )


def _is_plain_text(path: Path, head: bytes) -> bool:
    """UTF-8 without control characters, and not markup a browser would render."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or any(
        tag in head.lower() for tag in MARKUP
    ):
        return False
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\t\r\n\f" for char in text)


def safe_name(original: str, extension: str) -> str:
    """The name a download is offered under: ASCII, no path, and the extension of its content."""
    stem = slugify(Path(original or "").stem)[:60] or "attachment"
    return f"{stem}.{extension}"


def attachment_add(*, actor, jit: Jit, upload, request=None) -> Attachment:
    """Store an uploaded file for the workspace, or refuse it (type or size) and keep nothing."""
    principal = acting_member(actor, jit, request)
    if Jit.objects.get(pk=jit.pk).is_closed:  # refuse before reading the file
        raise InvalidTransition(_("The JIT is closed: its workspace is read-only."))
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(_too_big(limit))
    directory = attachments_dir()
    stored_name = secrets.token_hex(20)
    partial = directory / f"{stored_name}.part"
    digest, size = hashlib.sha256(), 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(_too_big(limit))
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise InvalidInput(_("The file is empty."))
        mime, extension = content_type_of(partial, upload.name or "")
        with transaction.atomic():
            jit = writable(jit)
            attachment = Attachment.objects.create(
                jit=jit,
                institution_id=principal.institution_id,
                name=safe_name(upload.name, extension),
                stored_name=stored_name,
                content_type=mime,
                size=size,
                sha256=digest.hexdigest(),
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            os.replace(partial, directory / stored_name)
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=attachment,
                purpose=purpose_of(jit),
                detail={"jit": jit.pk, "attachment": attachment.pk, "sha256": attachment.sha256},
                request=request,
            )
            activity_notify(jit, actor=actor)
    finally:
        partial.unlink(missing_ok=True)
    return attachment


def _too_big(limit: int) -> str:
    return _("The file is too large: at most %(megabytes)s MB.") % {
        "megabytes": round(limit / (1024 * 1024), 1)
    }


def attachment_open(*, actor, attachment: Attachment, request=None):
    """The stored file opened for a member's download, audited as an export (caller closes)."""
    acting_member(actor, attachment.jit, request)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=attachment,
        purpose=purpose_of(attachment.jit),
        detail={"jit": attachment.jit_id, "attachment": attachment.pk, "sha256": attachment.sha256},
        request=request,
    )
    return (attachments_dir() / attachment.stored_name).open("rb")
