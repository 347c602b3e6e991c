"""Checks the Vietnamese sample corpus and its question sets.

Run from the repository root: python3 eval/sample-vi/check.py
Exits non-zero on any error. For each `must` group at least one alternative has to
occur (case-insensitive, whitespace-normalised, NFC) in the item's sources; alternatives
that occur nowhere (e.g. a reformatted figure kept for answers that write it otherwise)
are listed for information only.
"""

import collections
import json
import pathlib
import re
import sys
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]
SETS = [
    ("eval/sample-vi/qa.jsonl", "corpus/sample-vi", "vi"),
    ("eval/sample-vi/cross.jsonl", "corpus/sample-vi", "vx"),
    ("eval/sample-en-vi.jsonl", "corpus/sample", "ev"),
]
DOC_TYPES = {"news_report", "directive", "action_programme", "plan", "report", "notice"}


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().casefold()


errors, info = [], []
texts = {}


def text(corpus, name):
    key = (corpus, name)
    if key not in texts:
        p = ROOT / corpus / name
        texts[key] = norm(p.read_text(encoding="utf-8")) if p.is_file() else None
    return texts[key]


# corpus and manifest
vi_dir = ROOT / "corpus/sample-vi"
files = sorted(p.name for p in vi_dir.glob("*.txt"))
manifest = [
    json.loads(line) for line in (vi_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
]
en_keys = set(json.loads((ROOT / "corpus/sample/manifest.jsonl").read_text(encoding="utf-8").splitlines()[0]))
if sorted(m["file"] for m in manifest) != files:
    errors.append(f"manifest files {sorted(m['file'] for m in manifest)} != corpus files {files}")
for m in manifest:
    if set(m) != en_keys:
        errors.append(f"manifest keys {sorted(m)} differ from the English manifest's {sorted(en_keys)}")
    if m["doc_type"] not in DOC_TYPES:
        errors.append(f"{m['file']}: doc_type {m['doc_type']}")
for name in files:
    raw = (vi_dir / name).read_text(encoding="utf-8")
    if raw != unicodedata.normalize("NFC", raw):
        errors.append(f"{name}: not NFC")
    if not re.fullmatch(r"[a-z0-9.-]+", name):
        errors.append(f"{name}: file name not plain ASCII")
    n = len(raw.split())
    info.append(f"{name}: {n} words")
    if not 500 <= n <= 1200:
        errors.append(f"{name}: {n} words (want 500-1200)")

# question sets
ids = set()
for path, corpus, prefix in SETS:
    kinds = collections.Counter()
    plain = 0
    rows = [json.loads(line) for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for it in rows:
        iid = it["id"]
        if iid in ids:
            errors.append(f"{path}: duplicate id {iid}")
        ids.add(iid)
        if not re.fullmatch(prefix + r"\d+", iid):
            errors.append(f"{path}: id {iid} lacks prefix {prefix}")
        kinds[it["kind"]] += 1
        turns = it["turns"] if it["kind"] == "multiturn" else [it]
        for t in turns:
            q = t["question"]
            if q != unicodedata.normalize("NFC", q):
                errors.append(f"{iid}: question not NFC")
            if q.isascii():
                plain += 1
            if it["kind"] == "unanswerable":
                if t["must"] or t["sources"]:
                    errors.append(f"{iid}: unanswerable with must/sources")
                continue
            if not t["must"] or not t["sources"]:
                errors.append(f"{iid}: answerable without must/sources")
            srcs = [text(corpus, s) for s in t["sources"]]
            for s, tx in zip(t["sources"], srcs):
                if tx is None:
                    errors.append(f"{iid}: source {s} missing in {corpus}")
            joined = " \n ".join(tx for tx in srcs if tx)
            for group in t["must"]:
                hits = [alt for alt in group if norm(alt) in joined]
                if not hits:
                    errors.append(f"{iid}: no alternative of {group} in {t['sources']}")
                miss = [alt for alt in group if alt not in hits]
                if miss:
                    info.append(f"{iid}: alternatives not in source (answer-side spellings): {miss}")
    info.append(f"{path}: {len(rows)} items, kinds {dict(kinds)}, questions/turns typed in plain ASCII: {plain}")

for line in info:
    print(line)
for line in errors:
    print("ERROR", line)
print("OK" if not errors else f"{len(errors)} errors")
sys.exit(1 if errors else 0)
