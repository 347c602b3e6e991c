"""A question set with the questions typed without Vietnamese marks, as cadres often type them:

    .venv/bin/python -m bench.unmarked ../shared/eval/viquad2/qa.jsonl OUT.jsonl
    .venv/bin/python -m bench.answers --sets viquad2 OUT.jsonl:../shared/eval/viquad2/docs --limit 200

The `must` strings stay as the documents write them: answers quote the documents.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path


def unmarked(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def main(argv: list[str]) -> None:
    source, out = map(Path, argv)
    with out.open("w", encoding="utf-8") as f:
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                item["question"] = unmarked(item["question"])
                f.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
