"""Passages built for tests: a chunk of a named file, hits over it, and the metadata of a year's report."""

from __future__ import annotations

from core.documents import Chunk, DocumentMeta
from vectorstore.models import Hit


def chunk(
    cid: str,
    meta: DocumentMeta,
    text: str = "Mass mobilization results.",
    index: int = 0,
    *,
    source: str | None = None,
    start: int = 0,
) -> Chunk:
    """Passage `index` of the file `<cid>.txt` (or `source`), from character `start` of the file."""
    return Chunk(id=cid, source=source or f"{cid}.txt", index=index, text=text, start=start, meta=meta)


def hit(text: str, meta: DocumentMeta, cid: str = "c1") -> Hit:
    """A retrieval hit (no score) on one passage of `<cid>.txt`."""
    return Hit(chunk=chunk(cid, meta, text))


def year_meta(title: str, province: str, year: int, **fields) -> DocumentMeta:
    """The metadata of a document about one whole year in a province."""
    return DocumentMeta(title=title, province=province, period=str(year), year_from=year, year_to=year, **fields)


def first_half_meta(title: str, province: str, year: int, **fields) -> DocumentMeta:
    """The metadata of a document about the first six months of a year in a province."""
    return DocumentMeta(
        title=title,
        province=province,
        period=f"{year}-01/{year}-06",
        year_from=year,
        year_to=year,
        month_from=f"{year}-01",
        month_to=f"{year}-06",
        **fields,
    )


PROVINCE_YEAR = year_meta("Quang Ninh 2014", "Quang Ninh", 2014)
DISTRICT_YEAR = year_meta("Ba Che 2014", "Quang Ninh", 2014, district="Ba Che")
OTHER_YEAR = year_meta("Quang Ninh 2015", "Quang Ninh", 2015)
