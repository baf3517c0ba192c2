"""Security headers: CSP without inline scripts, no framing, HSTS and secure cookies over HTTPS."""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "quipu"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_an_external_asset():
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag, f"inline script in {template}"
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"external asset in {template}"


@override_settings(SECURE_HSTS_SECONDS=31536000, SESSION_COOKIE_SECURE=True)
def test_https_responses_carry_hsts(client, region):
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_secure_cookies_and_hsts_follow_https_setting(monkeypatch):
    import importlib

    import quipu.config.settings as settings_module

    monkeypatch.setenv("QUIPU_DEBUG", "false")
    monkeypatch.delenv("QUIPU_HTTPS", raising=False)
    production = importlib.reload(settings_module)
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS > 0
    monkeypatch.setenv("QUIPU_DEBUG", "true")
    debug = importlib.reload(settings_module)
    assert not debug.SESSION_COOKIE_SECURE
    importlib.reload(settings_module)
