"""Search words stay out of URLs: they may be names (DESIGN.md rule 4).

The list form posts the words; they are kept in the user's session under a random key, and
only that key travels in the URL, so links, history and server logs never hold a name.
"""

import secrets

SESSION_KEY = "case_search_terms"
KEPT = 20  # the latest searches of a session; older keys simply stop resolving


def search_term_store(session, text: str) -> str:
    terms = dict(session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(8)
    terms[key] = text
    session[SESSION_KEY] = dict(list(terms.items())[-KEPT:])
    return key


def search_term_get(session, key: str) -> str:
    return session.get(SESSION_KEY, {}).get(key, "")
