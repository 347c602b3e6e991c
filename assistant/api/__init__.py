"""The HTTP API over AnswerService: one router per feature (answers, the OpenAI compatibility,
briefs, documents, feedback, the UI's downloads, health), one error shape (`errors`), and
`create_api`, which builds the FastAPI app from them."""

from .app import create_api

__all__ = ["create_api"]
