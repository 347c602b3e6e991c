"""Ingestion against the real Chroma store and the real embedding model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.components import build_store
from ingest.clean import clean
from tests.helpers.stores import SAMPLE, ingest_into, make_settings
from vectorstore.lexical import LexicalIndex, store_fingerprint

pytestmark = pytest.mark.slow
DANVAN = str(Path(sys.executable).parent / "danvan")


def _ids(store):
    return sorted(c.id for c in store.iter_chunks())


def test_ingest_is_idempotent(tmp_path, embedder, corpus_copy):
    settings = make_settings(tmp_path / "data")
    store, first = ingest_into(settings, embedder, [corpus_copy])
    assert sorted(first.added) == sorted(p.name for p in SAMPLE.glob("*.txt"))
    assert first.skipped == [] and first.chunks_written == store.count() > 20
    ids = _ids(store)

    # Nothing left over: the counts agree, so the run does not scan every chunk (a minute at 100k files).
    from ingest.pipeline import Ingestor

    store = build_store(settings)
    store.chunk_sources = lambda: pytest.fail("scanned every chunk of a consistent store")
    second = Ingestor(store, embedder, settings.lexical_path, settings.chunk_size, settings.chunk_overlap).run(
        [corpus_copy]
    )
    assert second.added == second.updated == [] and len(second.unchanged) == 5
    assert second.chunks_written == 0 and _ids(store) == ids

    # The lexical index describes exactly the stored chunks.
    index = LexicalIndex.load(settings.lexical_path)
    assert index.fingerprint == store_fingerprint({d.source: d.key for d in store.documents()})
    assert sorted(index.ids) == ids


def test_changed_file_replaces_its_chunks_and_prune_removes_gone_files(tmp_path, embedder, corpus_copy):
    settings = make_settings(tmp_path / "data")
    store, _ = ingest_into(settings, embedder, [corpus_copy])
    target = corpus_copy / "que-phong-2014-mass-mobilization.txt"
    old = {c.id for c in store.iter_chunks() if c.source == target.name}

    target.write_text(
        target.read_text(encoding="utf-8") + "\nIn 2014 the district also planted 1,234 trees.\n", encoding="utf-8"
    )
    store, report = ingest_into(settings, embedder, [corpus_copy])
    assert report.updated == [target.name] and len(report.unchanged) == 4
    assert 0 < report.chunks_embedded < report.chunks_written  # only the changed tail is re-embedded
    new = {c.id for c in store.iter_chunks() if c.source == target.name}
    assert new and not (old <= new)  # the stale chunks are gone
    assert "1,234 trees" in store.document(target.name).text
    assert len([c for c in store.iter_chunks() if c.source == target.name]) == store.document(target.name).n_chunks

    gone = corpus_copy / "lang-son-2023-great-solidarity.txt"
    gone.unlink()
    store, kept = ingest_into(settings, embedder, [corpus_copy])
    assert kept.removed == [] and store.document(gone.name) is not None  # no --prune: nothing deleted
    store, pruned = ingest_into(settings, embedder, [corpus_copy], prune=True)
    assert pruned.removed == [gone.name]
    assert store.document(gone.name) is None and gone.name not in store.chunk_sources()

    # The index was updated in place (changed and pruned files only): it ranks as one rebuilt
    # from every stored chunk does.
    _assert_index_matches_store(settings, store)


def _assert_index_matches_store(settings, store):
    import numpy as np

    from vectorstore.lexical import refresh_lexical

    index = LexicalIndex.load(settings.lexical_path)
    assert index.fingerprint == store_fingerprint({d.source: d.key for d in store.documents()}) and sorted(
        index.ids
    ) == _ids(store)
    shutil.rmtree(settings.lexical_path)
    fresh = refresh_lexical(store, settings.lexical_path)
    for query in ("Great Solidarity houses", "1,234 trees planted", "complaints and denunciations"):
        assert dict(index.search(query, 50)) == pytest.approx(dict(fresh.search(query, 50)))
    order = [fresh.ids.index(cid) for cid in index.ids]
    assert np.allclose(index.vectors, fresh.vectors[order])


def test_metadata_only_change_reuses_every_vector(tmp_path, embedder, corpus_copy):
    settings = make_settings(tmp_path / "data")
    store, _ = ingest_into(settings, embedder, [corpus_copy])
    manifest = corpus_copy / "manifest.jsonl"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"period": "2014"', '"period": "2014-01/2014-12"'),
        encoding="utf-8",
    )
    store, report = ingest_into(settings, embedder, [corpus_copy])
    assert report.updated == ["que-phong-2014-mass-mobilization.txt"] and report.chunks_embedded == 0
    assert store.document("que-phong-2014-mass-mobilization.txt").meta.month_to == "2014-12"


def test_leftovers_of_an_interrupted_run_are_repaired(tmp_path, embedder, corpus_copy):
    settings = make_settings(tmp_path / "data")
    store, _ = ingest_into(settings, embedder, [corpus_copy])
    clean_ids = _ids(store)
    # A run killed after writing chunks but before the commit marker leaves chunks without a record.
    store.docs_col.delete(ids=["nghe-an-2022-first-half-review.txt"])
    store, report = ingest_into(settings, embedder, [corpus_copy])
    assert report.repaired == ["nghe-an-2022-first-half-review.txt"]
    assert report.added == ["nghe-an-2022-first-half-review.txt"]
    assert _ids(store) == clean_ids


def test_bad_files_are_reported_and_do_not_stop_the_run(tmp_path, embedder, corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "blank.md").write_text("   \n\n  ")
    (corpus_copy / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (corpus_copy / "scan.xyz").write_bytes(b"whatever")
    (corpus_copy / "utf16.txt").write_bytes(
        "Báo cáo công tác dân vận năm 2020 của tỉnh Quảng Ninh.".encode("utf-8").decode("utf-8").encode("utf-16")
    )
    settings = make_settings(tmp_path / "data")
    store, report = ingest_into(settings, embedder, [corpus_copy])
    reasons = {name.split("/")[-1]: reason for name, reason in report.skipped}
    assert set(reasons) == {"empty.txt", "blank.md", "binary.txt", "scan.xyz"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["scan.xyz"]
    assert "utf16.txt" in report.added  # UTF-16 with BOM decodes
    assert "dân vận" in store.document("utf16.txt").text
    assert len(report.added) == 6
    for name in reasons:
        assert store.document(name) is None and name not in store.chunk_sources()


def test_huge_vanishing_and_legacy_encoded_files(tmp_path, embedder, corpus_copy):
    """A 100 MB text file is reported, not read into the store; a file deleted between listing and
    reading is reported; a Windows-1258 file is stored as NFC text, a TCVN3 (.VnTime) one as Unicode
    and reported as converted. The run goes on."""
    from ingest.pipeline import Ingestor
    from tests.helpers.documents import LEGACY, UNICODE, VIETNAMESE, to_windows_1258

    with open(corpus_copy / "huge.txt", "wb") as f:
        line = b"In 2020 the district held 12 dialogues with the people.\n"
        f.write(line * (100 * 1024 * 1024 // len(line) + 1))
    (corpus_copy / "vanishing.txt").write_text("Report on mass mobilization in 2021 with 7 models. " * 20)
    (corpus_copy / "legacy-1258.txt").write_bytes(to_windows_1258(VIETNAMESE))
    (corpus_copy / "vntime.txt").write_bytes(LEGACY["tcvn3"].encode("latin-1"))

    def delete_vanishing_when_listed(files):
        for path in files:
            if path.name == "vanishing.txt":
                path.unlink()  # listed, then gone before it is read
            yield path

    settings = make_settings(tmp_path / "data")
    store = build_store(settings)
    report = Ingestor(store, embedder, settings.lexical_path, progress=delete_vanishing_when_listed).run([corpus_copy])
    reasons = {name.split("/")[-1]: reason for name, reason in report.skipped}
    assert set(reasons) == {"huge.txt", "vanishing.txt"}
    assert "too large" in reasons["huge.txt"] and "cannot read" in reasons["vanishing.txt"]
    assert sorted(report.added) == sorted([*(p.name for p in SAMPLE.glob("*.txt")), "legacy-1258.txt", "vntime.txt"])
    assert store.document("legacy-1258.txt").text == VIETNAMESE
    assert store.document("vntime.txt").text == UNICODE and report.converted == [("vntime.txt", "tcvn3")]
    assert (
        report.to_dict()["converted"] == [{"file": "vntime.txt", "from": "tcvn3"}] and "1 converted" in report.summary()
    )
    for name in reasons:
        assert store.document(name) is None and name not in store.chunk_sources()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file_is_reported_by_the_cli(tmp_path, corpus_copy):
    """Through the real CLI: a file without read permission is reported and the rest is stored.
    As root, the run drops the capabilities that bypass file permissions."""
    locked = corpus_copy / "locked.txt"
    locked.write_text("Report on mass mobilization in 2021 with 7 models. " * 20)
    locked.chmod(0)
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        caps = "-dac_override,-dac_read_search"
        prefix = ["setpriv", "--bounding-set", caps, "--inh-caps", caps]
    env = {**os.environ, "DANVAN_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "report.json"
    run = subprocess.run(
        [*prefix, DANVAN, "ingest", str(corpus_copy), "--report", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text())
    assert report["skipped"] == [{"file": str(locked), "reason": "cannot read: Permission denied"}]
    assert "skipped " in run.stderr and "Permission denied" in run.stderr
    assert len(report["added"]) == 5
    store = build_store(make_settings(tmp_path / "data"))
    assert store.document("locked.txt") is None and "locked.txt" not in store.chunk_sources()


def test_stored_text_is_the_cleaned_text(sample_settings):
    store = build_store(sample_settings)
    for path in SAMPLE.glob("*.txt"):
        assert store.document(path.name).text == clean(path.read_text(encoding="utf-8"))


def test_vectors_of_another_embedder_are_not_reused(tmp_path, embedder, corpus_copy):
    """Switching the document precision (or model) re-embeds every chunk instead of mixing vectors."""
    from assistant.components import build_embedder

    settings = make_settings(tmp_path / "data")
    store, first = ingest_into(settings, embedder, [corpus_copy])
    full = build_embedder(make_settings(tmp_path / "data", embed_documents="float32"))
    assert full.name != embedder.name
    store, report = ingest_into(settings, full, [corpus_copy])
    assert sorted(report.updated) == sorted(first.added) and report.chunks_embedded == report.chunks_written
    assert {v[2] for v in store.vectors(_ids(store)).values()} == {full.name}
    store, back = ingest_into(settings, embedder, [corpus_copy])
    assert back.chunks_embedded == back.chunks_written == first.chunks_written
