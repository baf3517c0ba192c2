"""Browser tests: Debian's chromium driven by Playwright against a live server."""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import in_ci

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Playwright's sync API runs an event loop; Django's ORM is still called from this thread only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


DEMO_PASSWORD = "quipu-demo-2026"


def sign_in(page, username: str | None = None, password: str = DEMO_PASSWORD) -> None:
    """Open the sign-in page and, given a demo user, sign in and wait for the home page.

    The one address a browser test types (tests/browser/test_no_typed_urls.py): every other
    page is reached by clicking from home. Without a user it stops on the sign-in page."""
    page.goto(page.base_url + "/accounts/login/")
    if username is None:
        return
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(page.base_url + "/")


def menu_follow(page, name: str) -> None:
    """Follow a main-menu entry as a user does, opening its section's drop-down first when it
    sits in one. `name` is the entry's visible name, or its address when it starts with "/"
    (for a test that runs in several languages)."""
    menu = page.locator("nav.mainnav")
    if name.startswith("/"):
        entry = page.locator(f"a[href='{name}']")
    else:
        entry = page.locator("a").filter(has_text=re.compile(f"^{re.escape(name)}$"))
    link = menu.locator(entry)
    section = menu.locator("details", has=entry)
    if section.count() and section.get_attribute("open") is None:
        section.locator("summary").click()
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")


def search_cases(page, words: str) -> None:
    """Open the case list from the menu and search it as a user does; the words must not
    appear in the address."""
    menu_follow(page, "/cases/")
    page.fill("#id_q", words)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/cases/?search=*")
    assert words not in page.url
