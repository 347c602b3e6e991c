"""The same sentence-transformers model run by ONNX Runtime: the embedder ingest and answering use.

Why: embedding is 80-92% of ingest time, and ONNX Runtime runs the same weights faster on CPU than
PyTorch (the vectors agree with PyTorch's to ~1e-7, so a store built by either is served by either
and the embedder's name does not change). The model is exported once, with PyTorch, into
`<cache>/<name>-<digest>.onnx`, the digest covering the model folder and the exporter version; later
runs load the file and never import PyTorch. `sentence-transformers[onnx]` would do the export but
pins transformers/huggingface-hub below what gradio needs, hence this small exporter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from pathlib import Path

import numpy as np

from .embedder import default_model_path, model_folder

log = logging.getLogger(__name__)

EXPORT_VERSION = "1"  # bump when the exported graph changes
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


def export(path: Path, out: Path) -> None:
    """Trace the whole sentence-transformers pipeline (transformer, pooling, any dense layer) plus
    L2 normalisation into one graph: token ids in, unit vectors out."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(path), device="cpu", local_files_only=True).eval()
    names = list(model.tokenizer.model_input_names)

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            vector = self.model(dict(zip(names, inputs)))["sentence_embedding"]
            return torch.nn.functional.normalize(vector, p=2, dim=1)

    sample = model.tokenizer(["một câu mẫu", "a sample sentence for tracing"], padding=True, return_tensors="pt")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    # The tracer warns about Python-level branches (padding checks); each is constant for a BERT-style
    # encoder given an attention mask, and a test compares the result with PyTorch's on padded batches.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pipeline(), tuple(sample[n] for n in names), str(tmp), input_names=names, output_names=["embedding"],
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
            opset_version=OPSET, dynamo=False,
        )
    meta = {"inputs": names, "max_length": int(model.max_seq_length)}
    tmp.with_suffix(".json").write_text(json.dumps(meta))
    tmp.with_suffix(".json").replace(out.with_suffix(".json"))
    tmp.replace(out)  # whole or absent: a concurrent process never loads half a file


class OnnxEmbedder:
    """Any sentence-transformers model folder on disk, exported once and run with ONNX Runtime."""

    def __init__(self, cache_dir: Path, model_path: str | Path | None = None, batch_size: int = 16, threads: int | None = None):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        path = model_folder(model_path)
        self.name = path.name if model_path else "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        onnx_file = Path(cache_dir) / f"{self.name}-{model_digest(path)}.onnx"
        if not onnx_file.is_file():
            log.info("exporting %s to ONNX at %s (once)", self.name, onnx_file)
            export(path, onnx_file)
        meta = json.loads(onnx_file.with_suffix(".json").read_text())
        self._inputs = meta["inputs"]
        self._max_length = meta["max_length"]
        self._tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer(texts, padding=True, truncation=True, max_length=self._max_length, return_tensors="np")
        return self._session.run(None, {n: enc[n].astype(np.int64) for n in self._inputs})[0]

    def embed_matrix(self, texts: list[str]) -> np.ndarray:
        """Longest first, so each batch pads to similar lengths (as sentence-transformers does)."""
        out = np.zeros((len(texts), 0), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch_size):
            idx = order[i : i + self.batch_size]
            vectors = self._run([texts[j] for j in idx])
            if not out.shape[1]:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[idx] = vectors
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_matrix(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
