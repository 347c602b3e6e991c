"""The filters' values: the choices the store offers, each after "Any", and the FilterSpec they make."""

from __future__ import annotations

from typing import NamedTuple

import gradio as gr

from assistant.models import FilterSpec
from assistant.service import AnswerService

from .texts import t

ANY = "Any"  # the filters' "no filter" value; shown as t("any")


class Choices(NamedTuple):
    places: list[tuple]
    kinds: list[tuple]
    years: list[tuple]


def _any(values: list[str]) -> list[tuple]:
    return [(str(t("any")), ANY), *((v, v) for v in values)]


def choices(service: AnswerService) -> Choices:
    """The provinces, kinds and years the store holds now, each after "Any"."""
    f = service.facets()
    return Choices(_any(f["provinces"]), _any(f["doc_types"]), _any(list(map(str, f["years"]))))


def spec(province, year_from, year_to, doc_type) -> FilterSpec | None:
    """None when nothing is filtered. A year that is no number raises ValueError; the callers word it."""
    filters = FilterSpec(
        province=None if province in (None, ANY) else province,
        doc_type=None if doc_type in (None, ANY) else doc_type,
        year_from=None if year_from in (None, ANY) else int(year_from),
        year_to=None if year_to in (None, ANY) else int(year_to),
    )
    return filters if filters.model_dump(exclude_none=True) else None


def refreshing(service: AnswerService):
    # Its updates go to the chat's province, kind, year from and year to, then the brief's province
    # and year. A handler's docstring is its description in the page's API (/gradio_api/info).
    def refresh_filters():
        """Each page load offers the places, years and kinds the store holds now (an ingest may
        have added some since the server started)."""
        places, kinds, years = choices(service)
        return (
            gr.update(choices=places),
            gr.update(choices=kinds),
            gr.update(choices=years),
            gr.update(choices=years),
            gr.update(choices=places),
            gr.update(choices=years),
        )

    return refresh_filters
