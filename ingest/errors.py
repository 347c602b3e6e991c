"""Why a file was not ingested. The pipeline reports these per file and keeps going."""


class SkipFile(Exception):
    """The file cannot be ingested; `reason` is shown to the user in the ingest report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
