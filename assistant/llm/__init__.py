"""Chat models behind one protocol: a local GGUF through llama-cpp-python, or any
OpenAI-compatible server by URL."""
