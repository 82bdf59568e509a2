# Entry points: `make report`, `make test` and `make bench`. All create .venv on first use.
# `make report` installs only what the report of data/ needs (the package and its excel extra:
# data/ holds .txt reports); `make test` and `make bench` add the formats extra (.html .docx
# .pdf readers) and the development tools (pytest, ruff, mypy, ...).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: report test lint typecheck unit bench clean

$(RUNTIME): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[excel]'
	touch $(RUNTIME)

$(DEV): $(RUNTIME)
	$(BIN)/python -m pip install --quiet --group dev -e '.[excel,formats]'
	touch $(DEV)

report: $(RUNTIME)
	$(BIN)/targets report data/reports data/found --output out

lint: $(DEV)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(DEV)
	$(BIN)/mypy

unit: $(DEV)
	$(BIN)/pytest -q

test: lint typecheck unit

# Benchmarks (several minutes); writes docs/benchmarks.md from this run's numbers.
bench: $(DEV)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
