"""Human-facing pages (the landing page) and the health check.

The landing page is the front door for everyone the platform serves, so it comes in Chinese
and English: ``?lang=zh|en`` wins, otherwise the browser's ``Accept-Language`` decides (Babel
does the matching, so ``zh-CN``, ``zh-Hant-TW`` and ``zh`` all land on Chinese), otherwise
English. The page never links to something that does not exist yet: onward links to domain
endpoints are shown only when the application actually has that route, so a half-built
deployment never shows a link that answers 404.

Nothing here loads from another host: the machine that serves rarex may be offline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jinja2
from babel import Locale, negotiate_locale
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.routing import Match

from rarex import __version__
from rarex.core.db import get_engine
from rarex.core.errors import Problem
from rarex.web.paths import TEMPLATES_DIR

log = logging.getLogger("rarex")

router = APIRouter(include_in_schema=False)

#: The locales the pages are written in; the first is the fallback.
LOCALES = ("en", "zh")
#: ``<html lang>`` per locale: "zh-CN" makes browsers pick Simplified Chinese glyphs.
HTML_LANG = {"en": "en", "zh": "zh-CN"}

# StrictUndefined: a missing translation key fails the render (and the tests) instead of
# silently printing nothing. Autoescape is on for every template.
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


# --- language -----------------------------------------------------------------------------


def parse_accept_language(header: str | None, limit: int = 20) -> list[str]:
    """Language tags from an ``Accept-Language`` header, most preferred first.

    Tags with ``q=0`` (explicitly unwanted), the wildcard, and malformed entries are dropped;
    a garbled header simply yields fewer tags, never an error.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header[:1000].split(",")[:limit]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or not all(c.isalnum() or c in "-_" for c in tag):
            continue
        q = 1.0
        params = params.strip()
        if params:
            name, _, value = params.partition("=")
            if name.strip().lower() != "q":
                continue
            try:
                q = float(value)
            except ValueError:
                continue
            if not 0 < q <= 1:
                continue
        weighted.append((-q, i, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]


def choose_locale(lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` if it names a locale we have, else the best match for the browser, else English."""
    preferred = ([lang.replace("_", "-")] if lang else []) + parse_accept_language(accept_language)
    match = negotiate_locale(preferred, list(LOCALES), sep="-")
    if match and match.lower() in LOCALES:
        return match.lower()
    # negotiate_locale returns the caller's spelling ("ZH-cn" stays as given); map it back.
    if match:
        base = match.replace("_", "-").split("-")[0].lower()
        if base in LOCALES:
            return base
    return LOCALES[0]


# --- text ---------------------------------------------------------------------------------

#: Every string the pages show, per locale. Both locales must have the same keys (tested).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "rarex — export licensing for dual-use items",
        "description": "rarex: export-control licensing for dual-use items. First policy pack: "
        "China's rare-earth export controls.",
        "skip": "Skip to content",
        "language": "Language",
        "tagline": "Export-control licensing",
        "h1": "Export licensing for dual-use items",
        "lead": "rarex runs the whole life of an export licence: classifying an item against the "
        "control list, the exporter's application, screening of every party, the officer's review "
        "and decision, the licence itself, and customs drawing each shipment down against it.",
        "pack_label": "First policy pack",
        "pack": "China's export controls on rare-earth items, under the Export Control Law of the "
        "People's Republic of China (2020) and the Regulations on Export Control of Dual-Use Items "
        "(State Council Decree No. 792, in force since 1 December 2024).",
        "who_h": "Who it serves",
        "exporter_h": "Exporters",
        "exporter": "Classify products, keep consignees and end users on file, apply for licences "
        "with supporting documents, and see what remains on every licence.",
        "officer_h": "Licensing officers",
        "officer": "Work a queue of applications with automated checks and screening hits; "
        "a senior officer countersigns every decision.",
        "customs_h": "Customs",
        "customs": "Record export declarations against a licence; a shipment that would exceed "
        "the licensed quantity is refused.",
        "auditor_h": "Auditors",
        "auditor": "Read every record and verify the hash-chained audit log; change nothing.",
        "public_h": "The public",
        "public": "Check that a licence is genuine and read published aggregate statistics.",
        "links_h": "Start here",
        "docs_h": "API documentation",
        "docs": "Every endpoint, with a console to try it. Sign in with POST /api/v1/auth/token.",
        "openapi_h": "OpenAPI description",
        "openapi": "The machine-readable description of the API, for client generators.",
        "control_list_h": "Control list",
        "control_list": "The rare-earth items under control on a given date, with their legal "
        "references (JSON).",
        "verify_h": "Licence verification",
        "verify": "Check a licence from its number or QR code.",
        "statistics_h": "Statistics",
        "statistics": "Published aggregate figures on applications and licences.",
        "legal_h": "Legal basis",
        "ecl": "Export Control Law of the PRC — in force 1 December 2020",
        "dur": "Regulations on Export Control of Dual-Use Items (Decree No. 792) — in force 1 December 2024",
        "disclaimer": "rarex is independent software. It is not a service of the Ministry of Commerce "
        "(MOFCOM) and grants no licence by itself.",
        "version": "Version",
    },
    "zh": {
        "title": "rarex — 两用物项出口许可",
        "description": "rarex：两用物项出口管制许可平台。首个政策包：中国稀土相关物项出口管制。",
        "skip": "跳到主要内容",
        "language": "语言",
        "tagline": "出口管制许可",
        "h1": "两用物项出口许可平台",
        "lead": "rarex 贯穿出口许可的全过程：对照管制清单进行物项归类、出口经营者提交申请、"
        "对各方当事人进行筛查、审查人员审查并作出决定、签发许可证，以及海关凭许可证逐票核减出口数量。",
        "pack_label": "首个政策包",
        "pack": "依据《中华人民共和国出口管制法》（2020年）和《中华人民共和国两用物项出口管制条例》"
        "（国务院令第792号，2024年12月1日起施行）实施的稀土相关物项出口管制。",
        "who_h": "服务对象",
        "exporter_h": "出口经营者",
        "exporter": "对产品进行归类，维护收货人和最终用户信息，提交附有证明材料的许可申请，"
        "随时查看每份许可证的剩余数量。",
        "officer_h": "许可审查人员",
        "officer": "处理申请队列，查看自动核查结果和筛查命中情况；每项决定均须由高级审查人员复核签署。",
        "customs_h": "海关",
        "customs": "凭许可证登记出口报关单；超出许可数量的出运将被拒绝。",
        "auditor_h": "审计人员",
        "auditor": "查阅全部记录，校验哈希链审计日志的完整性；不作任何修改。",
        "public_h": "社会公众",
        "public": "核验许可证真伪，查阅公开发布的汇总统计数据。",
        "links_h": "从这里开始",
        "docs_h": "API 文档",
        "docs": "全部接口说明，并可在线试用。通过 POST /api/v1/auth/token 登录。",
        "openapi_h": "OpenAPI 描述文件",
        "openapi": "机器可读的 API 描述，可用于生成客户端。",
        "control_list_h": "管制清单",
        "control_list": "指定日期受管制的稀土相关物项及其法律依据（JSON）。",
        "verify_h": "许可证核验",
        "verify": "凭许可证编号或二维码核验许可证。",
        "statistics_h": "统计数据",
        "statistics": "公开发布的申请与许可汇总数据。",
        "legal_h": "法律依据",
        "ecl": "《中华人民共和国出口管制法》— 2020年12月1日起施行",
        "dur": "《中华人民共和国两用物项出口管制条例》（国务院令第792号）— 2024年12月1日起施行",
        "disclaimer": "rarex 为独立软件，并非商务部官方服务，其本身不签发任何许可。",
        "version": "版本",
    },
}


@dataclass(frozen=True)
class Onward:
    """A link from the landing page to a part of the platform, shown only if its route exists."""

    key: str
    path: str


ONWARD = [
    Onward("docs", "/docs"),
    Onward("openapi", "/openapi.json"),
    Onward("control_list", "/api/v1/policy/control-list"),
    Onward("verify", "/verify"),
    Onward("statistics", "/statistics"),
]

AUDIENCES = ["exporter", "officer", "customs", "auditor", "public"]


def answers_get(app, path: str) -> bool:
    """Whether the application has a route that fully matches ``GET path``.

    Asked of the router itself (Starlette's ``BaseRoute.matches``) rather than by walking
    ``app.routes``: FastAPI keeps included routers nested, so their routes are not listed there.
    """
    scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "query_string": b"", "headers": []}
    return any(route.matches(scope)[0] == Match.FULL for route in app.router.routes)


def onward_links(request: Request) -> list[Onward]:
    return [link for link in ONWARD if answers_get(request.app, link.path)]


# --- routes -------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index(request: Request, lang: str | None = None) -> HTMLResponse:
    """The landing page: what rarex is, whom it serves, where to go next."""
    locale = choose_locale(lang[:35] if lang else None, request.headers.get("accept-language"))
    context = {
        "locale": locale,
        "html_lang": HTML_LANG[locale],
        "t": TEXT[locale],
        "languages": [
            {"code": code, "name": Locale.parse(code).display_name, "html_lang": HTML_LANG[code], "current": code == locale}
            for code in LOCALES
        ],
        "audiences": AUDIENCES,
        "links": onward_links(request),
        "version": __version__,
        "css": request.app.url_path_for("static", path="rarex.css") + f"?v={__version__}",
    }
    return templates.TemplateResponse(
        request,
        "index.html",
        context,
        headers={"Vary": "Accept-Language", "Content-Language": HTML_LANG[locale]},
    )


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness and database reachability for load balancers and ``make run`` users.

    It runs ``SELECT 1`` on a raw driver connection rather than a request Session: a health
    probe takes no transaction and no admission slot (:mod:`rarex.web.admission`), so it
    answers while the server is busy, and bench/load.py uses it as its baseline.
    """
    try:
        conn = get_engine().raw_connection()
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")
            cur.fetchone()
            cur.close()
        finally:
            conn.close()
    except Exception as exc:  # any driver or pool error means "not healthy", never a 500
        log.warning("health check: database unreachable: %s", exc)
        raise ServiceUnavailable("the database is unreachable", database="unreachable") from None
    return {"status": "ok", "database": "ok"}
