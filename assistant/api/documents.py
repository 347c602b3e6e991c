"""GET /v1/documents and /v1/documents/{source}: what the store holds, and one document's text."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from .deps import Service
from .errors import BOUNDARY, ERROR

router = APIRouter(prefix="/v1", responses=BOUNDARY)


class DocumentInfo(BaseModel):
    source: str
    title: str
    doc_type: str
    province: str | None = None
    district: str | None = None
    period: str | None = None
    codes: list[str] = []
    n_chunks: int


class DocumentText(DocumentInfo):
    text: str


def _info(d) -> dict:
    m = d.meta
    return dict(
        source=d.source,
        title=m.title,
        doc_type=m.doc_type,
        province=m.province,
        district=m.district,
        period=m.period,
        codes=list(m.codes),
        n_chunks=d.n_chunks,
    )


@router.get("/documents", response_model=list[DocumentInfo])
def documents(service: Service) -> list[dict]:
    return [_info(d) for d in service.documents()]


@router.get("/documents/{source}", response_model=DocumentText, responses={404: ERROR})
def document(source: str, service: Service) -> dict:
    d = service.document(source)
    return {**_info(d), "text": d.text}
