"""The same sentence-transformers model run by ONNX Runtime: the embedder ingest and answering use.

Why: answering processes need neither PyTorch nor transformers (343 MB RSS), a question embeds in
half PyTorch's time, and embedding, 80-96% of ingest time, can use an int8 copy of the model
(1,000-character chunks embed at the same speed in float32 in either runtime: the matrix products
dominate; int8 makes them ~1.7x faster). The float vectors agree with PyTorch's to ~1e-7, so a store
built by either is served by either and the embedder's name does not change. The model is exported
once, with PyTorch, into `<cache>/<name>-<digest>.onnx` (the digest covers the model folder and the
exporter version) with the model's own fast tokenizer beside it, and kept only if it reproduces
sentence-transformers on sample texts. `sentence-transformers[onnx]` would do the export but pins
transformers/huggingface-hub below what gradio needs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from .embedder import model_folder

log = logging.getLogger(__name__)

PRECISIONS = ("float32", "int8")
EXPORT_VERSION = "2"  # bump when what is exported changes (2: with its tokenizer)
OPSET = 17


def model_digest(path: Path) -> str:
    """Files that shape the vectors: config, tokenizer and pooling files by content, weights by size
    and mtime (hashing 90 MB of weights on every start would cost more than it protects)."""
    digest = hashlib.sha1(f"export {EXPORT_VERSION} opset {OPSET}\n".encode())
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = f.relative_to(path).as_posix()
        if f.suffix in (".json", ".txt", ".model"):
            digest.update(rel.encode() + b"\0" + f.read_bytes())
        elif f.suffix in (".safetensors", ".bin"):
            st = f.stat()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


class ExportFailed(RuntimeError):
    """The model could not be exported, or the export does not reproduce it (recorded, not retried)."""


SAMPLES = ["một câu mẫu về công tác dân vận", "A sample sentence for tracing.", "short", "  padded  "]


def export(path: Path, out: Path) -> None:
    """Trace the whole sentence-transformers pipeline (transformer, pooling, any dense layer) plus
    L2 normalisation into one graph (token ids in, unit vectors out), save the model's own fast
    tokenizer beside it, and check the pair reproduces sentence-transformers before keeping it."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(path), device="cpu", local_files_only=True).eval()
    tokenizer = model.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise ExportFailed("the model has no fast (Rust) tokenizer")
    names = list(tokenizer.model_input_names)

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            vector = self.model(dict(zip(names, inputs)))["sentence_embedding"]
            return torch.nn.functional.normalize(vector, p=2, dim=1)

    sample = tokenizer(SAMPLES, padding=True, return_tensors="pt")
    with staged_export(out) as tmp:
        # The tracer warns about Python-level branches (padding checks); each is constant for a
        # BERT-style encoder given an attention mask, and the check below compares the result.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pipeline(),
                tuple(sample[n] for n in names),
                str(tmp[".onnx"]),
                input_names=names,
                output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
                opset_version=OPSET,
                dynamo=False,
            )
        tokenizer.backend_tokenizer.save(str(tmp[".tokenizer.json"]))
        meta = {
            "inputs": names,
            "max_length": int(model.max_seq_length),
            "pad_id": tokenizer.pad_token_id,
            "pad_token": tokenizer.pad_token,
            "padding_side": tokenizer.padding_side,
            "lower_case": bool(getattr(model[0], "do_lower_case", False)),
        }
        tmp[".json"].write_text(json.dumps(meta))
        want = model.encode(SAMPLES, normalize_embeddings=True)
        got = _Runner(tmp[".onnx"], tmp[".tokenizer.json"], meta, threads=1).embed(SAMPLES)
        if float(np.abs(got - want).max()) > 1e-4:
            raise ExportFailed(
                f"the exported model differs from sentence-transformers by {np.abs(got - want).max():.1e}"
            )


@contextlib.contextmanager
def staged_export(out: Path) -> Iterator[dict[str, Path]]:
    """Temporary siblings of an export's files (`.onnx`, `.json`, `.tokenizer.json`), moved into
    place when the block ends without error (the .onnx last: it marks a whole export) and
    removed in any case, so a failed or killed export never leaves a half one."""
    tag = f".{out.stem}.{os.getpid()}"
    tmp = {suffix: out.with_name(f"{tag}{suffix}") for suffix in (".onnx", ".json", ".tokenizer.json")}
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        yield tmp
        for suffix in (".tokenizer.json", ".json", ".onnx"):
            tmp[suffix].replace(_sibling(out, suffix))
    finally:
        for f in tmp.values():
            f.unlink(missing_ok=True)


def _made_once(target: Path, make: Callable[[], None], doing: str) -> None:
    """`make()` writes `target` unless it exists. A failure is recorded beside it (`<stem>.failed`)
    and raised again on later starts instead of retried: delete that file to try again."""
    failed = _sibling(target, ".failed")
    if failed.is_file():
        raise ExportFailed(failed.read_text())
    if target.is_file():
        return
    log.info("%s at %s (once)", doing, target)
    try:
        make()
    except Exception as exc:
        target.parent.mkdir(parents=True, exist_ok=True)
        failed.write_text(f"{type(exc).__name__}: {exc}")
        raise


def _sibling(onnx_file: Path, suffix: str) -> Path:
    return onnx_file.with_name(onnx_file.stem + suffix)


class _Runner:
    """An exported model and its tokenizer: texts in, unit vectors out (no PyTorch, no transformers)."""

    def __init__(self, onnx_file: Path, tokenizer_file: Path, meta: dict, threads: int | None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._meta = meta
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=meta["max_length"])
        self._tokenizer.enable_padding(
            pad_id=meta["pad_id"], pad_token=meta["pad_token"], direction=meta["padding_side"]
        )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

    def embed(self, texts: list[str]) -> np.ndarray:
        # As sentence-transformers prepares text: stripped, lower-cased when the model says so.
        texts = [t.strip().lower() if self._meta["lower_case"] else t.strip() for t in texts]
        encodings = self._tokenizer.encode_batch(texts)
        columns = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
        feed = {n: np.array([getattr(e, columns[n]) for e in encodings], dtype=np.int64) for n in self._meta["inputs"]}
        return self._session.run(None, feed)[0]


INT8_MIN_COSINE = 0.97  # a quantized copy further than this from the model on the samples is broken


def quantize(
    onnx_file: Path,
    out: Path,
    runner_args: tuple,
    *,
    runner_class: type | None = None,
    agreement: Callable[[Callable[[list[str]], np.ndarray]], float] | None = None,
    min_cosine: float | None = None,
) -> None:
    """An int8 copy of the model for embedding documents: the weights of every linear layer
    quantized per output channel, activations quantized on the fly (no calibration data needed).
    Kept only if its vectors stay close to the float model's on the samples, or, given
    `agreement` (the int8 copy's embed -> its smallest cosine to a reference), to that reference."""
    runner_class = runner_class or _Runner
    min_cosine = INT8_MIN_COSINE if min_cosine is None else min_cosine
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(onnx_file), load_external_data=False).graph
    weights = {w.name for w in graph.initializer}
    # Only products with a weight: the attention score products (both sides activations) lose
    # the most when quantized and cost the least.
    linear = [n.name for n in graph.node if n.op_type in ("MatMul", "Gemm") and any(i in weights for i in n.input)]
    if not linear:
        raise ExportFailed("no linear layers to quantize")
    tmp = out.with_name(f".{out.name}.{os.getpid()}")
    try:
        with warnings.catch_warnings(), _quiet_root_logger():
            warnings.simplefilter("ignore")
            quantize_dynamic(
                str(onnx_file), str(tmp), per_channel=True, weight_type=QuantType.QInt8, nodes_to_quantize=linear
            )
        quantized = runner_class(tmp, *runner_args)
        if agreement is None:
            full = runner_class(onnx_file, *runner_args).embed(SAMPLES)
            cosine = float((full * quantized.embed(SAMPLES)).sum(axis=1).min())
        else:
            cosine = agreement(quantized.embed)
        if cosine < min_cosine:
            raise ExportFailed(f"the int8 copy is too far from the model (cosine {cosine:.3f})")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _quiet_root_logger():
    """onnxruntime.quantization logs a pre-processing hint on the root logger at every call."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


class OnnxEmbedder:
    """Any sentence-transformers model folder on disk, exported once and run with ONNX Runtime.

    `documents="int8"` embeds documents with an int8 copy of the model (~1.7x faster on
    1,000-character chunks; cosine to the float vectors ~0.99) while questions keep the float
    model. `name` tells the two kinds of stored vectors apart, so switching re-embeds instead of
    mixing them."""

    runner_class: type = _Runner  # what runs an exported model (texts in, unit vectors out)

    def __init__(
        self,
        cache_dir: Path,
        model_path: str | Path | None = None,
        batch_size: int = 16,
        threads: int | None = None,
        documents: str = "float32",
    ):
        self._check_precision(documents)
        path, self.name = self._locate(model_path)
        self.batch_size = batch_size
        # The int8 copy's check against a reference other than the float model, if any.
        self._agreement = self._reference(path)
        onnx_file = Path(cache_dir) / f"{self.name}-{self._digest(path)}.onnx"
        _made_once(onnx_file, lambda: self._export(path, onnx_file), f"exporting {self.name} to ONNX")
        meta = json.loads(_sibling(onnx_file, ".json").read_text())
        runner_args = (_sibling(onnx_file, ".tokenizer.json"), meta, threads)
        self._float_file, self._runner_args = onnx_file, runner_args
        self._int8_file: Path | None = None
        if documents == "int8":
            self._int8(onnx_file, runner_args)

    # What a kind of model differs in: where its weights are and its name, its digest, its export.
    def _locate(self, model_path: str | Path | None) -> tuple[Path, str]:
        path = model_folder(model_path)
        return path, path.name if model_path else "all-MiniLM-L6-v2"

    def _digest(self, path: Path) -> str:
        return model_digest(path)

    def _export(self, path: Path, out: Path) -> None:
        export(path, out)

    def _reference(self, path: Path) -> Callable[[Callable[[list[str]], np.ndarray]], float] | None:
        return None

    @staticmethod
    def _check_precision(documents: str) -> None:
        if documents not in PRECISIONS:
            raise ValueError(f"documents must be one of {', '.join(PRECISIONS)}")

    def int8_min_cosine(self) -> float:
        return INT8_MIN_COSINE

    def _int8(self, onnx_file: Path, runner_args: tuple) -> None:
        int8_file = _sibling(onnx_file, ".int8.onnx")

        def make() -> None:
            quantize(
                onnx_file,
                int8_file,
                runner_args,
                runner_class=self.runner_class,
                agreement=self._agreement,
                min_cosine=self.int8_min_cosine(),
            )

        try:
            _made_once(int8_file, make, f"quantizing {self.name} to int8")
        except Exception as exc:  # documents are embedded at full precision, only slower
            log.warning("no int8 copy of %s (%s); embedding documents at float32", self.name, exc)
            return
        self._int8_file = int8_file
        self.name += "+int8"

    @functools.cached_property
    def _runner(self) -> _Runner:
        """The float model, loaded on first use: an ingest with the int8 copy never needs it."""
        return self.runner_class(self._float_file, *self._runner_args)

    @functools.cached_property
    def _documents(self) -> _Runner:
        """Loaded on first use: processes that only answer questions never need the int8 copy."""
        return self.runner_class(self._int8_file, *self._runner_args) if self._int8_file else self._runner

    def embed_matrix(self, texts: list[str], runner: _Runner | None = None) -> np.ndarray:
        """Longest first, so each batch pads to similar lengths (as sentence-transformers does)."""
        runner = runner or self._documents
        out = np.zeros((len(texts), 0), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch_size):
            idx = order[i : i + self.batch_size]
            vectors = runner.embed([texts[j] for j in idx])
            if not out.shape[1]:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[idx] = vectors
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_matrix(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embed_matrix([text], self._runner)[0].tolist()
