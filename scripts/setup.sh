#!/usr/bin/env bash
# Creates .venv/ and installs danvan into it (`--dev` adds the test tools). Idempotent: does
# nothing when pyproject.toml has not changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
# The tests exercise every backend, the local LLM included.
[ "${1:-}" = "--dev" ] && extras="[dev,llm]"

# The UI tests drive Debian's Chromium (Playwright's own browser download needs the internet).
if [ -n "$extras" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Chromium: sudo apt-get install chromium" >&2
  fi
fi
stamp=".venv/.installed${extras:+-dev}"
want="$(sha256sum pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
# llama-cpp-python builds llama.cpp from source. Its default (-march=native) turns on the Intel AMX
# kernels on CPUs that have them, and those crash in ggml_backend_amx_mul_mat with the shipped GGUF:
# build for the AVX2 baseline instead, unless CMAKE_ARGS says otherwise.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON}"
# The CPU-only torch build is ~2 GB; plain `torch` would pull ~6.5 GB of CUDA packages.
.venv/bin/pip install -q "torch==2.13.0+cpu" || .venv/bin/pip install -q torch
.venv/bin/pip install -q -e ".${extras}"
echo "$want" > "$stamp"
