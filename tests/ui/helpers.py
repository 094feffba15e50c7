"""Driving the pages over HTTP as a browser would: forms with their CSRF token, cookies kept."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

HTML = {"Accept": "text/html,application/xhtml+xml"}


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no form token"
    return m.group(1)


def sign_in(client, username: str, password: str = PASSWORD, next_path: str = "/home"):
    """Sign in through the form; returns the response to the POST (not followed)."""
    page = client.get("/sign-in", params={"next": next_path}, headers=HTML)
    return client.post("/sign-in", data={"csrf_token": csrf_of(page.text), "username": username, "password": password,
                                         "next": next_path}, headers=HTML, follow_redirects=False)


def post_form(client, path: str, page_path: str, **data):
    """Post ``data`` to ``path`` with the form token of the page at ``page_path`` (not followed)."""
    page = client.get(page_path, headers=HTML)
    return client.post(path, data={"csrf_token": csrf_of(page.text), **data}, headers=HTML, follow_redirects=False)
