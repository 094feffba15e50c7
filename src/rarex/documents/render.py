"""The PDF of a signed licence document, drawn from its stored canonical JSON alone.

fpdf2 lays out one A4 page (more when the lines run long) in Chinese and English side by side,
embedding a subset of Noto Sans CJK SC (Debian's fonts-noto-cjk, a CFF-outline OpenType
collection that fpdf2 reads through fontTools), so the page renders the same on any reader.
The QR code is segno's module matrix drawn as vector rectangles. Rendering is deterministic:
the same stored document gives the same bytes (fixed creation date, content-derived file id).

For offline verification the PDF carries the canonical JSON as an attached file
(:data:`ATTACHMENT`), and the key id, signature and QR payload in its metadata (keywords and
an XMP packet), so ``rarex verify FILE.pdf`` needs nothing but the file and the public keys.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import segno
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.fonts import FontFace

ATTACHMENT = "rarex-licence-document.json"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
#: Index of Noto Sans CJK SC in Debian's collections (JP, KR, SC, TC, HK, then the Mono ones).
SC_INDEX = 2

#: Status labels as the web pages give them (web/i18n.py and the zh catalogue), in both languages.
STATUS = {
    "active": ("有效", "Active"), "suspended": ("已暂停使用", "Suspended"), "revoked": ("已撤销", "Revoked"),
    "expired": ("已过期", "Expired"), "exhausted": ("已用完", "Fully used"), "withdrawn": ("已撤回", "Withdrawn by the ministry"),
    "under_amendment": ("变更审查中", "Amendment pending"),
    "replacement_pending": ("已停用：已重新申请", "Stopped: replacement applied for"),
    "handed_back": ("已交回", "Handed back"), "amendment_ordered": ("责令变更", "Amendment ordered"),
}
EVENT = {
    "issued": ("签发", "issued"), "amended": ("变更", "amended"), "suspended": ("暂停", "suspended"),
    "reinstated": ("恢复", "reinstated"), "withdrawn": ("撤回", "withdrawn"), "revoked": ("撤销", "revoked"),
}


class FontMissing(RuntimeError):
    """The CJK font the documents embed is not installed."""


def _font_paths() -> dict[str, Path]:
    paths = {style: FONT_DIR / name for style, name in FONTS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise FontMissing(f"licence documents embed Noto Sans CJK, but {', '.join(missing)} is missing: "
                          "install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)")
    return paths


#: Latin letters Noto Sans CJK lacks (Polish ł, Vietnamese ơ, ...) come from DejaVu Sans when it is
#: installed (Debian's fonts-dejavu-core, present wherever fontconfig is); without it they are dropped.
FALLBACK_DIR = Path("/usr/share/fonts/truetype/dejavu")
FALLBACK = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def _add_fallback(pdf: FPDF) -> None:
    paths = {style: FALLBACK_DIR / name for style, name in FALLBACK.items()}
    if all(p.is_file() for p in paths.values()):
        for style, path in paths.items():
            pdf.add_font("fallback", style, str(path))
        pdf.set_fallback_fonts(["fallback"])


def _country(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code) if code else None
    return f"{code} {c.name}" if c else code


def _label(zh: str, en: str) -> str:
    return f"{zh}  {en}"


class _Doc(FPDF):
    def __init__(self, content: dict[str, Any], footer_text: str):
        super().__init__(format="A4")
        self._content = content
        self._footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("noto", "", 7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self._footer_text}   {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    """Draw the payload's QR code (error correction M) as filled squares, quiet zone included."""
    qr = segno.make(payload, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix) + 8  # four modules of quiet zone each side
    m = size / n
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules: a smaller, faster page
            if row[c] & 1:
                start = c
                while c < len(row) and row[c] & 1:
                    c += 1
                pdf.rect(x + (start + 4) * m, y + (r + 4) * m, (c - start) * m, m, style="F")
            else:
                c += 1


def _pairs(pdf: FPDF, rows: list[tuple[str, str]], label_w: float) -> None:
    for label, value in rows:
        pdf.set_font("noto", "B", 8.5)
        label_h = float(pdf.multi_cell(label_w, 4.6, label, dry_run=True, output=MethodReturnValue.HEIGHT))  # type: ignore[arg-type]
        if pdf.will_page_break(label_h):
            pdf.add_page()
        y = pdf.get_y()
        pdf.multi_cell(label_w, 4.6, label, align="L", new_x="RIGHT", new_y="TOP")
        pdf.set_font("noto", "", 9)
        pdf.multi_cell(0, 4.6, value or "—", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + label_h) + 0.6)


def _heading(pdf: FPDF, zh: str, en: str) -> None:
    pdf.ln(1.2)
    pdf.set_font("noto", "B", 10.5)
    pdf.cell(0, 6, _label(zh, en), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(29, 112, 184)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: tuple[float, ...], align: str = "LEFT") -> None:
    pdf.set_font("noto", "", 8)
    pdf.set_draw_color(177, 180, 182)
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD", fill_color=(243, 242, 241)),
                   line_height=4.2, text_align=align, padding=1) as table:
        for cells in [header, *rows]:
            row = table.row()
            for text in cells:
                row.cell(text)


@lru_cache(maxsize=64)
def render(content_text: str, *, key_id: str, signature: str, qr_payload: str) -> bytes:
    """The PDF of one stored document (``content_text`` is its signed canonical JSON).

    Drawing takes about a second or two (fontTools reads and subsets the CJK collection), and
    it is deterministic, so the last few documents asked for are kept in memory, keyed by all
    that goes into them: a stored document never changes, so nothing can go stale."""
    fonts = _font_paths()
    c = json.loads(content_text)
    lic, doc, holder = c["licence"], c["document"], c["holder"]
    issued = dt.datetime.fromisoformat(doc["issued_at"])
    status_zh, status_en = STATUS.get(lic["status"], (lic["status"], lic["status"]))
    event_zh, event_en = EVENT.get(doc["event"], (doc["event"], doc["event"]))

    pdf = _Doc(c, f"{lic['number']} · 第{lic['version']}版 version {lic['version']} · "
                  f"文件 document {doc['no']} · {c['authority']['name_en']}")
    pdf.set_creation_date(issued)
    pdf.set_lang("zh-CN")
    for style, path in fonts.items():
        pdf.add_font("noto", style, str(path), collection_font_number=SC_INDEX)
    _add_fallback(pdf)
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.alias_nb_pages()
    pdf.set_title(f"{lic['number']} v{lic['version']} — {lic['type_en']}")
    pdf.set_author(c["authority"]["name_en"])
    pdf.set_subject(f"rarex signed licence document; kid={key_id}; signature={signature}")
    pdf.set_keywords(f"rarex-kid:{key_id} rarex-signature:{signature} rarex-qr:{qr_payload}")
    pdf.set_creator("rarex")
    pdf.set_producer("rarex (fpdf2)")
    pdf.set_xmp_metadata(
        '<rdf:Description rdf:about="" xmlns:rarex="https://rarex.example/ns/licence-document/1/">'
        f"<rarex:kid>{key_id}</rarex:kid><rarex:signature>{signature}</rarex:signature>"
        f"<rarex:attachment>{ATTACHMENT}</rarex:attachment></rdf:Description>")
    pdf.embed_file(bytes=content_text.encode("utf-8"), basename=ATTACHMENT, modification_date=issued,
                   mime_type="application/json", desc="Signed canonical content (Ed25519)")
    pdf.add_page()

    # Title block, QR code to the right.
    qr_size = 38.0
    top = pdf.get_y()
    _qr(pdf, qr_payload, pdf.w - pdf.r_margin - qr_size + 2, top - 2, qr_size)
    text_w = pdf.w - pdf.l_margin - pdf.r_margin - qr_size - 4
    pdf.set_font("noto", "B", 16)
    pdf.multi_cell(text_w, 8, f"两用物项出口许可证（{lic['type_zh']}）", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "B", 12)
    pdf.multi_cell(text_w, 6, f"Dual-use items export licence ({lic['type_en']})", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("noto", "", 8.5)
    pdf.multi_cell(text_w, 4.5, f"{c['authority']['name_zh']}\n{c['authority']['name_en']}"
                   + (f"\n({c['authority']['legal_ref']})" if c["authority"]["legal_ref"] else ""),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "", 7)
    pdf.set_x(pdf.w - pdf.r_margin - qr_size + 2)
    pdf.set_y(max(pdf.get_y(), top + qr_size - 3))
    pdf.set_x(pdf.w - pdf.r_margin - qr_size + 2)
    pdf.cell(qr_size, 4, "扫码核验  Scan to verify", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)

    _heading(pdf, "许可证", "Licence")
    ground = lic["status_ground"]
    status = f"{status_zh}  {status_en}" + (
        f"\n{ground['label_zh']} / {ground['label_en']} ({ground['legal_ref']})" if ground else "")
    consignee = c["consignee"]
    _pairs(pdf, [
        (_label("许可证编号", "Licence no."), lic["number"]),
        (_label("版本", "Version"), str(lic["version"])),
        (_label("状态", "Status"), status),
        (_label("有效期", "Validity"), f"{lic['valid_from']} 至 to {lic['valid_to']}"),
        (_label("持证人", "Holder"), f"{holder['name_zh']}\n{holder['name_en']}"),
        (_label("统一社会信用代码", "Unified social credit code"), holder["uscc"]),
        (_label("收货人", "Consignee"), "" if consignee is None else
         f"{consignee['name']}" + (f" / {consignee['name_local']}" if consignee["name_local"] else "")
         + f", {_country(consignee['country'])}"),
        (_label("最终用途", "End use"), c["end_use"]),
    ], 52)

    _heading(pdf, "物项", "Items")
    _table(pdf, ["管制编码\nControl code", "物项描述\nDescription", "法律依据\nLegal reference"],
           [[i["control_code"], f"{i['description_zh']}\n{i['description_en']}".strip(), i["legal_ref"]]
            for i in c["items"]], (24, 100, 56))

    _heading(pdf, "许可数量", "Licensed quantities")
    _table(pdf, ["行\nLine", "管制编码\nControl code", "海关编码\nHS code", "最终用户\nEnd user", "国家\nCountry",
                 "许可数量\nQuantity", "单位\nUnit"],
           [[str(ln["line_no"]), ln["control_code"], ln["hs_code"], ln["end_user"], _country(ln["country"]),
             ln["quantity"], ln["unit"]] for ln in c["lines"]],
           (10, 22, 22, 50, 34, 28, 14))

    _heading(pdf, "最终用户", "End users")
    _table(pdf, ["名称\nName", "本地名称\nLocal name", "国家\nCountry"],
           [[u["name"], u["name_local"], _country(u["country"])] for u in c["end_users"]], (80, 60, 40))

    _heading(pdf, "许可条件", "Conditions")
    pdf.set_font("noto", "", 9)
    conditions = c["conditions"] or ["无  None"]
    for i, cond in enumerate(conditions, start=1):
        pdf.multi_cell(0, 5, f"{i}. {cond}" if c["conditions"] else cond, align="L", new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "签发与核验", "Issue and verification")
    _pairs(pdf, [
        (_label("文件", "Document"), f"第{doc['no']}份（{event_zh}）  No. {doc['no']} ({event_en}), "
                                      f"{issued.strftime('%Y-%m-%d %H:%M')} UTC"),
        (_label("决定机关", "Deciding authority"), f"{c['authority']['name_zh']}\n{c['authority']['name_en']}"),
        (_label("密钥编号", "Key id"), f"Ed25519 {key_id}"),
    ], 52)
    pdf.set_font("noto", "B", 8.5)
    pdf.cell(0, 5, _label("签名", "Signature"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", "", 7.5)
    pdf.multi_cell(0, 3.8, signature, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("noto", "", 7.5)
    pdf.multi_cell(0, 3.8, "核验：在 /verify 页面输入许可证编号或扫描二维码，或离线运行 rarex verify 本文件.pdf。"
                   "签名覆盖本文件所附的规范 JSON（" + ATTACHMENT + "）。\n"
                   "Verify: enter the licence number or the scanned QR code at /verify, or run rarex verify on this "
                   "PDF offline. The signature covers the canonical JSON attached to this file.",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
