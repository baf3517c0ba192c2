"""Files of the workspace: checked by content not extension, limited in size, stored under
random names outside the web root, hashed, and every download audited as an export."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cooperation.jits.attachments import attachment_add
from quipu.cooperation.jits.models import Attachment
from quipu.errors import InvalidInput
from tests.cooperation.jits.test_workspace import Upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _add(region, jit, name: str, content: bytes):
    return attachment_add(actor=region.user("prosecutor.co"), jit=jit, upload=Upload(name, content))


@pytest.mark.parametrize(
    ("name", "content", "mime", "stored_as"),
    [
        ("Acta reunión.pdf", PDF, "application/pdf", "acta-reunion.pdf"),
        ("foto.png", PNG, "image/png", "foto.png"),
        ("llamadas.csv", "fecha;número\n2026-11-30;3\n".encode(), "text/csv", "llamadas.csv"),
        ("notas.txt", "Cúcuta y Quito\n".encode(), "text/plain", "notas.txt"),
        ("informe.docx", _docx(), None, "informe.docx"),
        ("informe", PDF, "application/pdf", "informe.pdf"),  # the extension comes from content
    ],
)
def test_an_allowed_file_is_kept_under_a_random_name_with_its_hash(
    region, active, attachments_in_tmp, name, content, mime, stored_as
):
    attachment = _add(region, active, name, content)
    assert attachment.name == stored_as
    if mime:
        assert attachment.content_type == mime
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    on_disk = list(attachments_in_tmp.iterdir())
    assert [path.name for path in on_disk] == [attachment.stored_name]
    assert on_disk[0].read_bytes() == content
    assert name.split(".")[0].lower() not in attachment.stored_name
    assert oct(on_disk[0].stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("orden.pdf", EXE),  # a program renamed .pdf
        ("pagina.txt", HTML),  # markup a browser would run
        ("pagina.html", HTML),
        ("datos.csv", b"\xff\xfe n\x00o\x00 utf-8"),  # not UTF-8
        ("archivo.zip", b"PK\x03\x04" + b"\x00" * 60),
        ("vacio.pdf", b""),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_kept(
    region, active, attachments_in_tmp, name, content
):
    with pytest.raises(InvalidInput) as refusal:
        _add(region, active, name, content)
    assert str(refusal.value.message)
    assert not Attachment.objects.exists()
    assert list(attachments_in_tmp.iterdir()) == []


def test_an_oversize_file_is_refused_with_the_limit_named(
    region, active, settings, attachments_in_tmp
):
    settings.QUIPU_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as refusal:
        _add(region, active, "grande.txt", b"a" * 1025)
    assert "MB" in str(refusal.value.message)
    assert list(attachments_in_tmp.iterdir()) == []
    assert _add(region, active, "justo.txt", b"a" * 1024).size == 1024


def test_an_upload_refused_on_the_api_names_the_file_field(region, login, active):
    client = login("prosecutor.co")
    url = reverse("api:jit-attachments", args=[active.pk])
    response = client.post(url, {"file": SimpleUploadedFile("orden.pdf", EXE)})
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    created = client.post(url, {"file": SimpleUploadedFile("acta.pdf", PDF)})
    assert created.status_code == 201
    assert created.json()["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_an_upload_refused_on_the_page_says_why(region, login, active):
    client = login("prosecutor.co")
    response = client.post(
        reverse("jits:attachment_new", args=[active.pk]),
        {"file": SimpleUploadedFile("orden.pdf", EXE)},
        follow=True,
    )
    assert "This type of file is not accepted" in response.content.decode() or (
        "no se acepta" in response.content.decode()
    )
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("route", ["jits:attachment", "api:jit-attachment"])
def test_every_download_is_audited_as_an_export_and_named_safely(region, login, active, route):
    attachment = _add(region, active, "Acta reunión.pdf", PDF)
    response = login("prosecutor.ve").get(reverse(route, args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="acta-reunion.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.filter(action="export", object_type="jits.attachment").last()
    assert entry.object_id == str(attachment.pk)
    assert entry.actor_username == "prosecutor.ve"
    assert entry.detail["sha256"] == attachment.sha256


@pytest.mark.parametrize("username", ["focal.co", "caseworker.ve", "prosecutor.pe"])
def test_a_non_member_cannot_download(region, login, active, username):
    attachment = _add(region, active, "acta.pdf", PDF)
    client = login(username)
    for route in ("jits:attachment", "api:jit-attachment"):
        response = client.get(reverse(route, args=[attachment.pk]))
        assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="export", object_type="jits.attachment").exists()
