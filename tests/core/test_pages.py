"""The landing page's language choice and links, and the health check, over plain HTTP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from rarex.core.db import make_engine
from rarex.web import pages
from rarex.web.app import create_app
from rarex.web.i18n import choose_locale, parse_accept_language
from rarex.web.ui.render import answers_get


def test_landing_page_defaults_to_english(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in r.text
    assert "Export licensing for dual-use items" in r.text
    assert "Decree No. 792" in r.text
    assert r.headers["vary"] == "Accept-Language, Cookie"
    assert r.headers["content-language"] == "en"


@pytest.mark.parametrize(
    "header",
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh", "zh-Hant-TW", "fr;q=1, zh-CN;q=0.5", "en;q=0.1, zh;q=0.9"],
)
def test_a_browser_asking_for_chinese_gets_chinese(client, header):
    r = client.get("/", headers={"Accept-Language": header})
    assert '<html lang="zh-CN">' in r.text
    assert "两用物项出口许可平台" in r.text
    assert "国务院令第792号" in r.text
    assert r.headers["content-language"] == "zh-CN"


def test_lang_parameter_wins_over_the_browser(client):
    assert "两用物项出口许可平台" in client.get("/?lang=zh", headers={"Accept-Language": "en"}).text
    assert "Export licensing for dual-use items" in client.get("/?lang=en", headers={"Accept-Language": "zh"}).text


def test_unknown_lang_falls_back_to_the_browser_then_english(client):
    assert "两用物项出口许可平台" in client.get("/?lang=de", headers={"Accept-Language": "zh"}).text
    assert "Export licensing for dual-use items" in client.get("/?lang=xx-yy").text


def test_hostile_lang_parameter_is_neither_echoed_nor_an_error(client):
    r = client.get("/", params={"lang": '"><script>alert(1)</script>'})
    assert r.status_code == 200
    assert "<script>" not in r.text and "alert(1)" not in r.text


def test_garbled_accept_language_is_ignored(client):
    r = client.get("/", headers={"Accept-Language": ";;;,q=abc,zh;q=nonsense,*;q=0.5,<x>"})
    assert r.status_code == 200 and '<html lang="en">' in r.text


def test_parse_accept_language_orders_by_quality_and_drops_refusals():
    assert parse_accept_language("en;q=0.3, zh-CN, de;q=0") == ["zh-CN", "en"]
    assert parse_accept_language("fr, en") == ["fr", "en"]  # equal weight: header order
    assert parse_accept_language("") == []
    assert parse_accept_language(None) == []


def test_choose_locale():
    assert choose_locale(None, None) == "en"
    assert choose_locale("ZH", None) == "zh"
    assert choose_locale("zh-cn", None) == "zh"
    assert choose_locale("zh_CN", None) == "zh"
    assert choose_locale(None, "zh-TW,en;q=0.5") == "zh"
    assert choose_locale(None, "ja, de") == "en"


def test_language_switcher_marks_the_current_language_and_comes_back_here(client):
    text = client.get("/?lang=zh").text
    assert 'href="/language/en?next=%2F" hreflang="en" lang="en">English</a>' in text
    assert 'href="/language/zh?next=%2F" hreflang="zh-CN" lang="zh-CN" aria-current="true">中文</a>' in text


def test_the_switch_remembers_the_language_in_a_cookie(client):
    r = client.get("/language/zh", params={"next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "rarex_lang=zh" in r.headers["set-cookie"] and "samesite=lax" in r.headers["set-cookie"].lower()
    assert "两用物项出口许可平台" in client.get("/", headers={"Accept-Language": "en"}).text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_switch_never_sends_the_browser_to_another_host(client, target):
    r = client.get("/language/en", params={"next": target}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/home"


def test_an_unknown_language_in_the_switch_sets_nothing(client):
    r = client.get("/language/xx", params={"next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and "set-cookie" not in r.headers


def test_links_only_to_routes_that_exist(client):
    """Docs and OpenAPI always; a domain link appears exactly when its page answers."""
    text = client.get("/").text
    assert 'href="/docs"' in text and 'href="/openapi.json"' in text
    for path in ["/api/v1/policy/control-list", "/verify", "/statistics"]:
        answers = client.get(path).status_code not in (404, 405)
        assert (f'href="{path}"' in text) == answers, path


def test_a_new_route_gets_its_link(db):
    app = create_app(run_startup_jobs=False)
    with TestClient(app) as c:
        before = 'href="/statistics"' in c.get("/").text
    if before:
        pytest.skip("/statistics exists already")
    app.add_api_route("/statistics", lambda: {"ok": True}, methods=["GET"])
    with TestClient(app) as c:
        assert 'href="/statistics"' in c.get("/").text


def test_answers_get():
    app = create_app(run_startup_jobs=False)
    assert answers_get(app, "/docs")
    assert answers_get(app, "/api/v1/me")
    assert not answers_get(app, "/api/v1/auth/token")  # POST only
    assert not answers_get(app, "/no/such/page")


def test_stylesheet_is_served_from_this_host(client):
    text = client.get("/").text
    assert 'href="/static/rarex.css' in text
    assert not re.search(r'(src|href)="(https?:)?//', text), "no assets from other hosts"
    css = client.get("/static/rarex.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "Noto Sans CJK SC" in css.text


def test_pages_are_not_in_the_api_description(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and "/healthz" not in paths


def test_healthz_reports_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_problem_when_the_database_is_unreachable(client, monkeypatch, tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    monkeypatch.setattr(pages, "get_engine", lambda: broken)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 503 and body["database"] == "unreachable"
    assert body["type"].endswith("/service-unavailable")
    broken.dispose()
