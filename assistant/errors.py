"""Typed errors. Each carries the HTTP status and a message fit to show a user as it is."""

from __future__ import annotations


class DanvanError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidQuestion(DanvanError):
    status_code = 422
    code = "invalid_question"


class StoreEmpty(DanvanError):
    status_code = 503
    code = "store_empty"


class ModelNotFound(DanvanError):
    status_code = 500
    code = "model_not_found"


class BackendUnavailable(DanvanError):
    status_code = 502
    code = "backend_unavailable"


class DocumentNotFound(DanvanError):
    status_code = 404
    code = "document_not_found"


class ConfigError(DanvanError):
    status_code = 500
    code = "config_error"
