"""Embedders made to fail for tests: an ONNX export that cannot be done."""

from __future__ import annotations


def break_export(monkeypatch, module) -> list:
    """Makes `module.export` fail as it does on a model with an unsupported operator; returns the list
    of the files it was asked to write, one per attempt."""
    calls = []

    def broken(path, out):
        calls.append(out)
        raise RuntimeError("unsupported operator")

    monkeypatch.setattr(module, "export", broken)
    return calls
