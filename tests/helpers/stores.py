"""The corpora's paths, settings for a data folder, ingesting into it, and a service over a store."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "corpus" / "sample"
SAMPLE_VI = ROOT / "corpus" / "sample-vi"
SHARED = ROOT.parent / "shared"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"


def make_settings(data_dir: Path, **overrides):
    from assistant.settings import Settings

    return Settings(**{"data_dir": data_dir, "corpus": [SAMPLE], **overrides})


def ingest_into(settings, embedder, paths, prune=False):
    from assistant.components import build_store
    from ingest.pipeline import Ingestor

    store = build_store(settings)
    report = Ingestor(store, embedder, settings.lexical_path, settings.chunk_size, settings.chunk_overlap).run(
        paths, prune=prune
    )
    return store, report


def service_over(settings, embedder, store):
    """An extractive AnswerService over `store`, as `danvan` builds one but with `embedder`."""
    from assistant.answerers.extractive import ExtractiveAnswerer
    from assistant.service import AnswerService
    from vectorstore.lexical import refresh_lexical

    return AnswerService(settings, store, embedder, refresh_lexical(store, settings.lexical_path), ExtractiveAnswerer())
