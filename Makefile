# One virtual environment per checkout; every target installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench fuzz labels clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)  ## set up, clean samples/ into out/samples.jsonl
	@mkdir -p out
	$(BIN)/newsclean clean samples/ -o out/samples.jsonl
	@$(BIN)/python scripts/summarize.py out/samples.jsonl
	@echo "\nwrote out/samples.jsonl ($$(wc -l < out/samples.jsonl) records); see one with:"
	@echo "  head -n 1 out/samples.jsonl | python3 -m json.tool --no-ensure-ascii"

test: $(STAMP)  ## unit, CLI, golden and quality-gate tests
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff, ruff format, mypy
	$(BIN)/ruff check src tests bench scripts train
	$(BIN)/ruff format --check src tests bench scripts train
	$(BIN)/mypy

bench: $(STAMP)  ## long benchmarks against the peers; prints figures
	$(BIN)/python -m bench

fuzz: $(STAMP)  ## property tests with a large example budget; prints cases run and failed
	$(BIN)/python -m bench.bench_fuzz

labels: $(STAMP)  ## the line model's training data (#15): train/build/lines.jsonl.gz, from ../shared
	$(BIN)/python -m train.labels

clean-venv:
	rm -rf $(VENV)
