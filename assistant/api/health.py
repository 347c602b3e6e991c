"""GET /healthz: up, and what it answers from. Open without a key (see `assistant.boundary`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from .deps import Service

router = APIRouter()


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    backend: str


@router.get("/healthz", response_model=Health)
def healthz(service: Service) -> Health:
    return Health(
        status="ok", documents=len(service.documents()), chunks=service.store.count(), backend=service.answerer.name
    )
