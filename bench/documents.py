"""Licence document benchmark: what signing, drawing and checking a document cost, in one run.

    .venv/bin/python bench/documents.py [--lines 8] [--rounds 5]

A synthetic document of ``--lines`` quantity lines (the canonical form of
:mod:`rarex.documents.content`) is

- sealed: canonical JSON, Ed25519 signature of it and of the QR seal — what every issuing
  licence event adds to its transaction — against the baseline of what every event already
  does, hashing its JSON for the audit chain (``json.dumps`` + SHA-256);
- drawn: the PDF from the stored content, cold (fontTools reads and subsets Noto Sans CJK)
  and from the in-memory cache of :func:`rarex.documents.render.render`;
- checked offline: :func:`rarex.documents.verify.verify_pdf` (parse, signature, page text).

Keys are made in a temporary directory. Numbers are printed, never judged; the last line is
one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from rarex.documents import content as doc_content  # noqa: E402
from rarex.documents.keys import Keyring, b64url  # noqa: E402
from rarex.documents.render import render  # noqa: E402
from rarex.documents.verify import verify_pdf  # noqa: E402


def synthetic(lines: int) -> dict:
    users = [{"name": f"Antriebstechnik Muster {i} GmbH", "name_local": "", "country": "DE"} for i in range(max(1, lines // 2))]
    return {
        "schema": doc_content.SCHEMA,
        "document": {"no": 1, "event": "issued", "issued_at": "2026-06-01T08:00:00+00:00"},
        "authority": {"name_zh": "中华人民共和国商务部（两用物项出口许可机关）",
                      "name_en": "Ministry of Commerce of the PRC — dual-use items export licensing authority",
                      "legal_ref": "ECL Art. 5; DUR Art. 4"},
        "licence": {"number": "CNDU-G2026-000001", "version": 1, "type": "general", "type_zh": "通用许可",
                    "type_en": "General licence", "status": "active", "status_ground": None,
                    "valid_from": "2026-06-01", "valid_to": "2029-05-31"},
        "holder": {"name_zh": "包头稀土磁材有限公司", "name_en": "Baotou Rare Earth Magnets Co., Ltd.", "uscc": "91150200MA0N000001"},
        "consignee": {"name": "Magnetwerk GmbH", "name_local": "", "country": "DE"},
        "items": [{"control_code": "1C905.b", "description_zh": "氧化镝及其混合物", "description_en": "Dysprosium oxide and its mixtures",
                   "legal_ref": "MOFCOM/GAC Ann. 2025 No. 18, annex, 1C905.b"}],
        "lines": [{"line_no": i + 1, "control_code": "1C905.b", "hs_code": "2846901993", "description": "Dy2O3 99.5%",
                   "end_user": users[i % len(users)]["name"], "country": "DE", "quantity": f"{1000 + i}.5", "unit": "kg"}
                  for i in range(lines)],
        "end_users": users,
        "end_use": "Sintering of NdFeB magnets for traction motors",
        "conditions": ["Not to be re-exported without the authority's consent."],
    }


def per_call(fn: Callable[[], object], rounds: int) -> float:
    fn()  # warm
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return (time.perf_counter() - start) / rounds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the slow steps (drawing, checking)")
    args = ap.parse_args()
    content = synthetic(args.lines)
    ring = Keyring(Path(tempfile.mkdtemp()) / "keys")
    kid, key = ring.signing_key()

    def baseline() -> str:
        return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()

    def seal() -> tuple[bytes, str, str, str]:
        data = doc_content.canonical(content)
        s = doc_content.seal(content, data)
        return data, b64url(key.sign(data)), s, b64url(key.sign(s.encode()))

    fast = max(200, args.rounds * 100)
    t_base = per_call(baseline, fast)
    t_seal = per_call(seal, fast)
    data, sig, s, seal_sig = seal()
    text, payload = data.decode(), f"{s}|{kid}|{seal_sig}"
    t_cold = per_call(lambda: render.__wrapped__(text, key_id=kid, signature=sig, qr_payload=payload), args.rounds)
    pdf = render(text, key_id=kid, signature=sig, qr_payload=payload)
    t_cached = per_call(lambda: render(text, key_id=kid, signature=sig, qr_payload=payload), fast)
    keys = ring.public_keys()
    assert verify_pdf(pdf, keys).ok
    t_verify = per_call(lambda: verify_pdf(pdf, keys), args.rounds)

    out = {
        "lines": args.lines, "content_bytes": len(data), "pdf_bytes": len(pdf), "qr_payload_bytes": len(payload.encode()),
        "audit_hash_us": round(t_base * 1e6, 1), "seal_us": round(t_seal * 1e6, 1),
        "seal_vs_audit_hash": round(t_seal / t_base, 2),
        "render_cold_ms": round(t_cold * 1e3, 1), "render_cached_us": round(t_cached * 1e6, 2),
        "cold_vs_cached": round(t_cold / t_cached), "verify_pdf_ms": round(t_verify * 1e3, 1),
    }
    print(f"document: {args.lines} lines, canonical JSON {len(data)} B, PDF {len(pdf)} B, QR payload {len(payload.encode())} B")
    print(f"sealing per licence event {out['seal_us']} µs vs audit hash {out['audit_hash_us']} µs: x{out['seal_vs_audit_hash']}")
    print(f"drawing the PDF cold {out['render_cold_ms']} ms, cached {out['render_cached_us']} µs: cold is x{out['cold_vs_cached']}")
    print(f"checking the PDF offline {out['verify_pdf_ms']} ms")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
