"""The pure parts of the security boundary: rate-limit buckets that expire, key ids, client
addresses, Markdown escaping, hidden HTML."""

from __future__ import annotations

from assistant.markup import md_text
from assistant.security import KeyRing, RateLimiter, UiSessions, bearer_token, client_address
from ingest.load import visible_html


def test_idle_buckets_are_dropped_and_their_number_is_bounded():
    now = [0.0]
    rl = RateLimiter(60, clock=lambda: now[0], max_buckets=100)
    for i in range(5000):
        rl.allow(f"token{i}")
    assert len(rl) == 100  # bounded, least recently used dropped
    now[0] = 61.0  # a bucket idle for a whole refill is the same as a new one
    rl.allow("fresh")
    assert len(rl) == 1
    # ... which is why dropping it changes nothing for its owner
    rl2 = RateLimiter(2, clock=lambda: now[0])
    assert [rl2.allow("k")[0] for _ in range(3)] == [True, True, False]
    assert rl2.check("k")[0] is False and len(rl2) == 1  # check consumes nothing, makes no bucket
    assert rl2.check("nobody") == (True, 0.0) and len(rl2) == 1


def test_a_zero_limit_is_refused():
    import pytest

    with pytest.raises(ValueError):
        RateLimiter(0)


def test_keys_are_known_by_digest_and_sessions_expire():
    ring = KeyRing(["k1", "k2"])
    assert ring.identify("k1") != ring.identify("k2") and ring.identify("k1").startswith("key:")
    assert "k1" not in ring.identify("k1") and ring.identify("k3") is None and ring.identify(None) is None
    assert ring.identify("x\udc80") is None  # a header decoded with surrogateescape does not crash the check
    now = [0.0]
    sessions = UiSessions(ttl_seconds=10, clock=lambda: now[0])
    token = sessions.open("key:abc")
    assert sessions.identify(token) == "key:abc" and sessions.identify("forged") is None
    now[0] = 11
    assert sessions.identify(token) is None


def test_client_addresses():
    assert client_address("127.0.0.1") == "127.0.0.1"
    assert client_address("::ffff:10.0.0.1") == "10.0.0.1"
    assert client_address("2001:db8::1") == client_address("2001:db8::2") == "2001:db8::/64"
    assert client_address(None) == "unknown"


def test_markdown_escaping_keeps_text_and_drops_markup():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    for evil in [
        '<img src="http://x/p.png">',
        "<script>alert(1)</script>",
        "[a](javascript:alert(1))",
        "![i](http://x/i.png)",
        "<http://x>",
        "&lt;b&gt;",
        "`code` *em* _em_ | pipe",
        "[1](http://x)",
        "line\n# heading\n<iframe src=x>",
    ]:
        out = md.render(md_text(evil))
        assert (
            "<img" not in out
            and "<script" not in out
            and "<a " not in out
            and "<iframe" not in out
            and "<h1" not in out
        ), (evil, out)
        assert "<em>" not in out and "<code>" not in out, (evil, out)
    assert md_text("built 39 km of roads. [1]") == "built 39 km of roads. [1]"


def test_hidden_html_is_dropped_and_visible_text_kept():
    page = (
        "<html><body><p>Seen one.</p><p hidden>Secret A</p><span style='font-size:0'>Secret B</span>"
        "<div style='display: none'>Secret C</div><p style='font-size:12px'>Seen two.</p>"
        "<span style='opacity:0'>Secret D</span>"
        "<div style='height:0;overflow:hidden'>Secret E</div><template>Secret F</template> tail stays</body></html>"
    )
    out = visible_html(page)
    assert "Seen one." in out and "Seen two." in out and "tail stays" in out
    assert not any(f"Secret {c}" in out for c in "ABCDEF"), out


def test_rate_limiter_refills():
    now = [0.0]
    rl = RateLimiter(2, clock=lambda: now[0])
    assert [rl.allow("k")[0] for _ in range(3)] == [True, True, False]
    assert rl.allow("other")[0]
    now[0] = 30.0  # half a minute: one token back
    assert rl.allow("k")[0] and not rl.allow("k")[0]
    assert bearer_token("Bearer abc") == "abc" and bearer_token("abc") is None and bearer_token(None) is None
