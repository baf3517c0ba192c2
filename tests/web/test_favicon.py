"""A favicon: the SVG, a PNG for browsers without SVG icons, and /favicon.ico (issue 14)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_answered_at_the_sites_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert b"\x89PNG" in body


def test_every_page_links_the_svg_and_png_icons_and_they_are_served():
    html = Client().get("/accounts/login/").content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)" type="([^"]+)"', html)
    assert {kind for _href, kind in icons} == {"image/svg+xml", "image/png"}
    for href, kind in icons:
        response = Client().get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith(kind)
