"""Every page a role works on is reached by following links from home, as the browser tests
reach them (issue 14, item 1). Django's test client crawls each demo role's site breadth
first: GET only, same site, a few pages of each kind, no sign-out, language, download or
export links. Fast, no browser."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from quipu.web.navigation import nav_entries_for

pytestmark = pytest.mark.django_db

SKIPPED = re.compile(
    r"logout|/language/|download|/export|^/static/|^/media/|^/admin/.+|\.(csv|xlsx|json|pdf|zip)$"
)
SAME_KIND = 1  # pages of one kind (the same address but for its ids and codes) worth a visit
MAX_PAGES = 40
MAX_DEPTH = 3

# Beyond the menu: where each role's day starts, reached through lists and buttons.
ROLE_PAGES = {
    "caseworker.co": [r"^/cases/new/$", r"^/intake/imports/$", r"^/cases/\d+/$"],
    "focal.co": [r"^/cases/new/$", r"^/cases/\d+/$", r"^/linkage/notices/$"],
    "prosecutor.co": [r"^/cooperation/requests/new/$", r"^/cases/\d+/$"],
    "consul.co": [r"^/cooperation/referrals/new/$"],
    "analyst.co": [r"^/cases/$", r"^/progress/indicators/[\w-]+/"],
    "secretariat": [r"^/progress/$", r"^/progress/indicators/[\w-]+/", r"^/indicators/"],
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def _same_site(href: str, here: str) -> str | None:
    """The link's path and query on this site, or None for another site, a fragment or a
    scheme such as mailto:."""
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href:
        return None
    if href.startswith("?"):  # a link to the same page with other parameters
        return urlsplit(here).path + href
    if not href.startswith("/"):
        return None
    return href


def _kind(address: str) -> str:
    """The address with its ids and codes (42, CO, PROT-02) taken out: one country's progress
    page stands for the others'."""
    path = re.sub(r"^/help/[^/]+/", "/help/#/", urlsplit(address).path)  # the guide's pages
    return re.sub(r"/(\d+|[A-Z][A-Z0-9_-]*)(?=/)", "/#", path)


def crawl(client) -> dict[str, int]:
    """Status of every address visited, breadth first from home."""
    seen: dict[str, int] = {}
    kinds: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    while queue and len(seen) < MAX_PAGES:
        address, depth = queue.popleft()
        if address in seen:
            continue
        kind = _kind(address)
        if kinds.get(kind, 0) >= SAME_KIND:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(address)
        seen[address] = response.status_code
        if response.status_code in (301, 302):
            found = [response["Location"]]
        elif "text/html" in response.get("Content-Type", "") and depth < MAX_DEPTH:
            parser = _Links()
            parser.feed(response.content.decode())
            found = parser.hrefs
        else:
            found = []
        for href in found:
            target = _same_site(href, address)
            if target and target not in seen and not SKIPPED.search(target):
                queue.append((target, depth + 1))
    return seen


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_role_reaches_its_menu_and_its_days_pages_by_links_from_home(login, region, username):
    client = login(username)
    seen = crawl(client)
    paths = {urlsplit(address).path: status for address, status in seen.items()}
    menu = [reverse(entry.url_name) for entry in nav_entries_for(region.user(username))]
    assert len(menu) > 1
    unreached = [url for url in menu if url not in paths]
    assert not unreached, f"{username}: menu entries no link leads to: {unreached}"
    failing = {url: paths[url] for url in menu if paths[url] != 200}
    assert not failing, f"{username}: menu pages that do not answer 200: {failing}"
    for wanted in ROLE_PAGES[username]:
        assert any(re.search(wanted, path) for path in paths), (
            f"{username}: no link leads to a page like {wanted}"
        )
    broken = {address: status for address, status in seen.items() if status >= 400}
    assert not broken, f"{username}: links shown to the user that fail: {broken}"
