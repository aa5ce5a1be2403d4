# The README's two commands. Everything else here serves them.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test install eval bench clean

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

clean:
	rm -rf $(VENV) .dossier
