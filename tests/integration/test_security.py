"""The service probed as an attacker would (issue #19), each finding against a real `danvan serve`
on 127.0.0.1: the UI behind the same keys, limits and audit as /v1; limits on the bytes actually
received; a rate limit that made-up tokens, wrong keys and forged proxy headers cannot dodge;
conversations bound to their caller; typed 422s for malformed strings; settings checked at start."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import DANVAN, free_port, start_server, stop
from tests.helpers.stores import ROOT

pytestmark = pytest.mark.slow
QUESTION = "How many km of concrete rural roads did Que Phong build in 2014?"
K1, K2 = {"Authorization": "Bearer k1"}, {"Authorization": "Bearer k2"}
JSON = {"content-type": "application/json"}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _ui_call(base: str, name: str, data: list, headers: dict | None = None, timeout: float = 60) -> tuple[int, str]:
    """A Gradio call route as a script would use it: POST the inputs, then read the event stream."""
    r = httpx.post(f"{base}/ui/gradio_api/call/{name}", json={"data": data}, headers=headers or {}, timeout=timeout)
    if r.status_code != 200:
        return r.status_code, r.text
    event = r.json()["event_id"]
    r = httpx.get(f"{base}/ui/gradio_api/call/{name}/{event}", headers=headers or {}, timeout=timeout)
    return r.status_code, r.text


@pytest.fixture(scope="module")
def keyed(sample_settings, tmp_path_factory):
    """A server with keys k1,k2 and the UI, on a copy of the store (it gets feedback), with its
    own temporary directories (to see what it leaves there) and its output in a file."""
    root = tmp_path_factory.mktemp("keyed")
    data = root / "data"
    shutil.copytree(sample_settings.data_dir, data)
    (root / "tmp").mkdir()
    (root / "gradio").mkdir()
    proc, base = start_server(
        sample_settings,
        log_path=root / "server.log",
        DANVAN_DATA_DIR=str(data),
        DANVAN_API_KEYS="k1,k2",
        DANVAN_AUTH_FAILURES_PER_MINUTE="100000",
        TMPDIR=str(root / "tmp"),
        GRADIO_TEMP_DIR=str(root / "gradio"),
    )
    yield base, proc, root
    stop(proc)


def _feedback(base, headers, comment="secret comment of alice"):
    answer = httpx.post(f"{base}/v1/answer", json={"question": QUESTION}, headers=headers, timeout=60).json()
    r = httpx.post(
        f"{base}/v1/feedback",
        headers=headers,
        timeout=30,
        json={"question": QUESTION, "answer": answer, "helpful": True, "comment": comment, "session": "alice-s"},
    )
    assert r.status_code == 200, r.text


# --- 1. the UI is behind the keys ---------------------------------------------------------------
def test_the_ui_backend_answers_nothing_without_a_key(keyed):
    base, _, root = keyed
    _feedback(base, K1)
    question = [QUESTION, [], "Any", "Any", "Any", "Any"]
    for name, data in [
        ("respond", question),
        ("open_document", ["[1] que-phong-2014-mass-mobilization.txt"]),
        ("make_brief", ["complaints and denunciations", "Any", "Any"]),
        ("refresh_filters", []),
    ]:
        for headers in (
            {},
            {"Authorization": "Bearer nope"},
            {"Authorization": "k1"},
            {"Cookie": "danvan_session=forged"},
        ):
            status, body = _ui_call(base, name, data, headers)
            assert status == 401 and "unauthorized" in body and "39 km" not in body, (name, headers, status, body[:200])
    for path in (
        "/ui/config",
        "/ui/gradio_api/info",
        "/ui/gradio_api/queue/status",
        "/exports/feedback.jsonl",
        "/v1/feedback.jsonl",
    ):
        r = httpx.get(f"{base}{path}")
        assert r.status_code == 401 and "secret comment" not in r.text, (path, r.status_code)
    r = httpx.post(f"{base}/ui/gradio_api/queue/join", json={"data": question, "fn_index": 0, "session_hash": "x"})
    assert r.status_code == 401
    # The page itself sends a browser to the login.
    r = httpx.get(f"{base}/ui/", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/ui/")
    # Uploads: never stored, with a key or without.
    big = b"x" * (30 * 2**20)
    assert httpx.post(f"{base}/ui/gradio_api/upload", files={"files": ("a.txt", big)}, timeout=60).status_code in (
        401,
        403,
    )
    assert httpx.post(f"{base}/ui/gradio_api/upload", files={"files": ("a.txt", b"x")}, headers=K1).status_code == 403
    assert not any((root / "gradio").rglob("a.txt"))

    # With a key the same call answers, and it is audited under the key's id, never the key.
    status, body = _ui_call(base, "respond", question, K1)
    assert status == 200 and "39 km" in body, body[-500:]
    audit = [json.loads(line) for line in (root / "data" / "audit.jsonl").read_text().splitlines()]
    ui_calls = [a for a in audit if a["path"] == "/ui/gradio_api/call/respond"]
    assert {a["status"] for a in ui_calls} == {200, 401}
    assert all(a["who"] is None for a in ui_calls if a["status"] == 401)
    k1_id = "key:" + hashlib.sha256(b"k1").hexdigest()[:12]
    assert {a["who"] for a in ui_calls if a["status"] == 200} == {k1_id}
    assert "k1" not in {a["who"] for a in audit}


def test_ui_exports_are_served_from_memory_and_only_to_the_caller(keyed):
    base, _, root = keyed
    before = set(os.listdir(root / "tmp")), {p for p in (root / "gradio").rglob("*") if p.is_file()}
    for _ in range(3):  # page loads (they wrote a feedback copy into a new temp dir each)
        assert httpx.get(f"{base}/ui/", headers={**K1, "Accept": "text/html"}).status_code == 200
    r = httpx.get(f"{base}/exports/feedback.jsonl", headers=K1)
    assert (
        r.status_code == 200
        and "secret comment of alice" in r.text
        and "attachment" in r.headers["content-disposition"]
    )
    status, body = _ui_call(base, "make_brief", ["complaints and denunciations", "Any", "Any"], K1, timeout=120)
    assert status == 200 and "Key points" in body
    links = sorted(set(part.split('"')[0] for part in body.split('href=\\"/exports/')[1:]))
    assert len(links) == 2, body[-800:]
    for link in links:
        link = link.rstrip("\\")
        got = httpx.get(f"{base}/exports/{link}", headers=K1)
        assert got.status_code == 200 and got.content[:2] in (b"PK", b"# ")
        assert httpx.get(f"{base}/exports/{link}", headers=K2).status_code == 404  # another key's
        assert httpx.get(f"{base}/exports/{link}").status_code == 401
    after = set(os.listdir(root / "tmp")), {p for p in (root / "gradio").rglob("*") if p.is_file()}
    assert after == before, after


# --- 2. limits on the bytes received, authentication before the body -----------------------------
def test_chunked_bodies_are_limited_and_unauthenticated_ones_not_read(keyed):
    base, proc, _ = keyed

    def body(turns: int):
        yield b'{"question": "x", "history": ['
        for _ in range(turns):
            yield b'{"role": "user", "content": "' + b"a" * 850 + b'"},'
        yield b'{"role": "user", "content": "b"}]}'

    # No Content-Length: httpx sends an iterator chunked.
    r = httpx.post(f"{base}/v1/answer", content=body(200), headers={**K1, **JSON}, timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"
    assert "transfer-encoding" not in r.request.headers or r.request.headers["transfer-encoding"] == "chunked"

    rss = _rss_mb(proc.pid)
    started = time.perf_counter()
    try:
        r = httpx.post(f"{base}/v1/answer", content=body(60_000), headers=JSON, timeout=60)  # ~52 MB, no key
        assert r.status_code == 401
    except httpx.TransportError:
        pass  # the server answered 401 and closed the connection while the client was still sending
    assert time.perf_counter() - started < 30
    assert _rss_mb(proc.pid) - rss < 40, "the server read the unauthenticated body"
    # A body within the limit still works, chunked or not.
    small = json.dumps({"question": QUESTION}).encode()
    assert httpx.post(f"{base}/v1/answer", content=iter([small]), headers={**K1, **JSON}, timeout=60).status_code == 200


# --- 5. conversations belong to their caller ------------------------------------------------------
def test_a_session_belongs_to_the_key_that_started_it(keyed):
    base, _, _ = keyed
    first = (
        "How many of Que Phong's 2014 skillful mass mobilization models were in the political system building field?"
    )
    follow = "How many of them were collective, and how many individual?"
    assert (
        httpx.post(
            f"{base}/v1/answer", headers=K1, json={"question": first, "session": "alice"}, timeout=60
        ).status_code
        == 200
    )
    other = httpx.post(
        f"{base}/v1/answer", headers=K2, json={"question": follow, "session": "alice"}, timeout=60
    ).json()
    assert "Que Phong" not in (other["query"] or "") and "14 collective" not in other["answer"], other
    own = httpx.post(f"{base}/v1/answer", headers=K1, json={"question": follow, "session": "alice"}, timeout=60).json()
    assert "14 collective" in own["answer"], own  # the owner still has the conversation


# --- 6. malformed strings get typed 422s ----------------------------------------------------------
def test_lone_surrogates_get_a_typed_422_not_a_500(keyed):
    base, _, root = keyed
    answer = {"answer": "a", "refused": False, "citations": []}
    bodies = {
        "/v1/answer": [
            {"question": QUESTION, "history": [{"role": "user", "content": "S"}]},
            {"question": "S"},
            {"question": QUESTION, "session": "S"},
        ],
        "/v1/chat/completions": [
            {"messages": [{"role": "user", "content": "S"}]},
            {"messages": [{"role": "user", "content": [{"type": "text", "text": "S"}]}]},
        ],
        "/v1/briefs": [{"topic": "complaints", "filters": {"province": "S"}}, {"topic": "S"}],
        "/v1/feedback": [
            {"question": "q", "answer": answer, "helpful": True, "comment": "S"},
            {"question": "S", "answer": answer, "helpful": True},
        ],
    }
    for path, items in bodies.items():
        for item in items:
            raw = json.dumps(item).replace("S", "x\\ud800y").encode()
            r = httpx.post(f"{base}{path}", content=raw, headers={**K1, **JSON}, timeout=60)
            assert r.status_code == 422, (path, item, r.status_code, r.text)
            assert r.json()["error"]["code"] == "invalid_request" and "surrogate" in r.json()["error"]["message"]
    # The UI's calls too: the message comes back as an error line in the chat, not a failure.
    raw = json.dumps({"data": ["S", [], "Any", "Any", "Any", "Any"]}).replace("S", "x\\ud800y").encode()
    r = httpx.post(f"{base}/ui/gradio_api/call/respond", content=raw, headers={**K1, **JSON}, timeout=60)
    assert r.status_code == 200
    stream = httpx.get(f"{base}/ui/gradio_api/call/respond/{r.json()['event_id']}", headers=K1, timeout=60).text
    assert "event: complete" in stream and "not accepted" in stream, stream[-500:]
    assert _our_tracebacks(root) == []


def _our_tracebacks(root: Path) -> list[str]:
    """Tracebacks that pass through the project's code. (Gradio logs one, with no frame of ours,
    for each input its own preprocessing rejects; the caller gets an error event, not a 5xx.)"""
    log = (root / "server.log").read_text(errors="replace")
    # The project's packages, not the venv that may live inside the checkout (.venv/...).
    ours = re.compile(rf'File "{re.escape(str(ROOT))}/(?:assistant|ingest|vectorstore|ui|bench)/')
    return [t for t in log.split("Traceback (most recent call last):")[1:] if ours.search(t)]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"DANVAN_RATE_LIMIT_PER_MINUTE": "0"}, "DANVAN_RATE_LIMIT_PER_MINUTE"),
        ({"DANVAN_RATE_LIMIT_PER_MINUTE": "-5"}, "DANVAN_RATE_LIMIT_PER_MINUTE"),
        ({"DANVAN_MAX_REQUEST_BYTES": "0"}, "DANVAN_MAX_REQUEST_BYTES"),
        ({"DANVAN_API_KEYS": " "}, "DANVAN_API_KEYS"),
        ({"DANVAN_API_KEYS": " , "}, "DANVAN_API_KEYS"),
        ({"DANVAN_TRUSTED_PROXIES": "not-an-address"}, "DANVAN_TRUSTED_PROXIES"),
    ],
)
def test_bad_settings_stop_the_server_with_a_clear_error(sample_settings, env, expected):
    try:  # a server that accepts these settings keeps running: that is the failure
        out = subprocess.run(
            [DANVAN, "serve", "--port", str(free_port())],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=30,
            env={**os.environ, "DANVAN_DATA_DIR": str(sample_settings.data_dir), "DANVAN_UI": "false", **env},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"danvan serve started with {env}")
    assert out.returncode == 2 and expected in out.stderr and "Traceback" not in out.stderr, out.stderr[-1500:]


# --- 3. the rate limit cannot be dodged -----------------------------------------------------------
def test_rate_limit_without_keys_is_per_address_whatever_the_token_or_forwarded_header(sample_settings):
    proc, base = start_server(sample_settings, DANVAN_RATE_LIMIT_PER_MINUTE="3", DANVAN_UI="false")
    try:
        assert [httpx.get(f"{base}/v1/documents").status_code for _ in range(4)] == [200, 200, 200, 429]
        dodges = [
            httpx.get(f"{base}/v1/documents", headers={"Authorization": f"Bearer junk{i}"}).status_code
            for i in range(10)
        ]
        dodges += [
            httpx.get(
                f"{base}/v1/documents",
                headers={"X-Forwarded-For": f"10.0.0.{i}", "X-Real-IP": f"10.0.1.{i}", "Forwarded": f"for=10.0.2.{i}"},
            ).status_code
            for i in range(10)
        ]
        assert set(dodges) == {429}, dodges
        limited = httpx.get(f"{base}/v1/documents")
        assert 1 <= int(limited.headers["retry-after"]) <= 60
    finally:
        stop(proc)


def test_wrong_keys_are_throttled_and_the_ui_shares_the_keys_rate_limit(sample_settings, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_settings.data_dir, data)
    proc, base = start_server(
        sample_settings,
        DANVAN_DATA_DIR=str(data),
        DANVAN_API_KEYS="k1,k2",
        DANVAN_RATE_LIMIT_PER_MINUTE="4",
        DANVAN_AUTH_FAILURES_PER_MINUTE="5",
    )
    try:
        # One bucket per key, whichever door: two UI calls and two API calls, then 429 at both.
        assert _ui_call(base, "refresh_filters", [], K1)[0] == 200
        assert _ui_call(base, "refresh_filters", [], K1)[0] == 200
        assert [httpx.get(f"{base}/v1/documents", headers=K1).status_code for _ in range(2)] == [200, 200]
        r = httpx.post(
            f"{base}/ui/gradio_api/call/respond", json={"data": [QUESTION, [], "Any", "Any", "Any", "Any"]}, headers=K1
        )
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        assert httpx.get(f"{base}/v1/documents", headers=K1).status_code == 429
        assert httpx.get(f"{base}/v1/documents", headers=K2).status_code == 200  # per key

        # Guessing keys: after 5 failures from this address, 429 whatever the key.
        codes = [
            httpx.get(f"{base}/v1/documents", headers={"Authorization": f"Bearer guess{i}"}).status_code
            for i in range(30)
        ]
        assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}, codes
        r = httpx.get(f"{base}/v1/documents", headers=K2)
        assert (
            r.status_code == 429
            and r.json()["error"]["code"] == "too_many_failures"
            and int(r.headers["retry-after"]) >= 1
        )
        r = httpx.post(f"{base}/login", data={"key": "guess", "next": "/ui/"})
        assert r.status_code == 429
    finally:
        stop(proc)


# --- the UI's call routes, fuzzed with and without a key -----------------------------------------
def _junk(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 2 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([0, -1, 2**63, 1e308, float("nan") if False else 3.5, True])
    if kind == 2:
        return rng.choice(
            [
                "",
                " ",
                "Any",
                "1900",
                "2014",
                "[1] que-phong-2014-mass-mobilization.txt",
                QUESTION,
                "x" * 5000,
                "<script>alert(1)</script>",
                "\u0000",
                "../../etc/passwd",
                "Quang Ninh",
            ]
        )
    if kind == 3:
        return "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 40)))
    if kind == 4:
        return "x\\ud800y"  # becomes a lone surrogate once the JSON is decoded (see _post)
    if kind == 5:
        return rng.choice(["Helpful", {"role": "user", "content": "hi"}, {"path": "/etc/passwd"}])
    if kind == 6:
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return {"role": rng.choice(["user", "assistant", "x"]), "content": _junk(rng, depth + 1)}
    return [{"question": "q", "answer": {"answer": "a", "refused": False, "citations": [{"n": 1}]}}]


def test_fuzzing_the_ui_call_routes(keyed):
    base, _, root = keyed
    info = httpx.get(f"{base}/ui/gradio_api/info", headers=K1).json()
    endpoints = {name.strip("/"): len(spec["parameters"]) for name, spec in info["named_endpoints"].items()}
    assert {"respond", "open_document", "show_passage", "make_brief"} <= set(endpoints), endpoints
    rng = random.Random(19)
    leaks = ("39 km", "Que Phong", "secret comment", "cleaned text", "Key points")
    for name, n in sorted(endpoints.items()):
        for _ in range(12):
            data = [_junk(rng) for _ in range(n + rng.choice([0, 0, 0, -1, 1]))]
            raw = json.dumps({"data": data}).replace("x\\\\ud800y", "x\\ud800y").encode()
            for headers in ({}, K1):
                r = httpx.post(
                    f"{base}/ui/gradio_api/call/{name}", content=raw, headers={**headers, **JSON}, timeout=60
                )
                if not headers:
                    assert r.status_code == 401 and not any(s in r.text for s in leaks), (name, data, r.status_code)
                    continue
                assert r.status_code < 500, (name, data, r.status_code, r.text[:300])
                if r.status_code == 200:
                    stream = httpx.get(
                        f"{base}/ui/gradio_api/call/{name}/{r.json()['event_id']}", headers=K1, timeout=120
                    )
                    assert stream.status_code < 500 and "Traceback" not in stream.text, (name, data, stream.text[:300])
    assert _our_tracebacks(root) == []
