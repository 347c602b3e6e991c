"""Quotes are verified verbatim against their source, whitespace aside."""

from assistant.citations import quote_in


def test_quote_verification_ignores_whitespace_only():
    assert quote_in("built 39  km of\nroads", "They built 39 km of roads.")
    assert not quote_in("built 40 km", "They built 39 km of roads.")
    assert not quote_in("   ", "anything")
