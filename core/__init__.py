"""The bottom layer: plain document types, typed errors and the text rules of both languages
(language, tokens, sentences, numbers, places). It imports nothing of the project's."""
