"""Typed errors, each with a stable code and a message fit to show a user as it is. They carry
no transport detail: the API maps each kind to its HTTP status (`assistant/api/errors.py`)."""

from __future__ import annotations


class DanvanError(Exception):
    code = "internal_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidQuestion(DanvanError):
    code = "invalid_question"


class StoreEmpty(DanvanError):
    code = "store_empty"


class ModelNotFound(DanvanError):
    code = "model_not_found"


class BackendUnavailable(DanvanError):
    code = "backend_unavailable"


class DocumentNotFound(DanvanError):
    code = "document_not_found"


class ConfigError(DanvanError):
    code = "config_error"
