# One virtual environment per checkout; every target installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint sizes bench fuzz labels train clean-venv

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

lint: $(STAMP)  ## ruff, ruff format, mypy, import arrows, vulture (dead code)
	$(BIN)/ruff check src tests bench scripts train
	$(BIN)/ruff format --check src tests bench scripts train
	$(BIN)/mypy
	$(BIN)/python scripts/imports.py
	$(BIN)/vulture src/newsclean tests bench scripts --min-confidence 60

sizes: $(STAMP)  ## modules over 600 lines, functions over 60 (#18)
	$(BIN)/python scripts/sizes.py

bench: $(STAMP)  ## long benchmarks against the peers; prints figures
	$(BIN)/python -m bench

labels: $(STAMP)  ## the line model's training data from ../shared (train/build/lines.jsonl.gz)
	$(BIN)/python -m train.labels

train: labels  ## rebuild the shipped line model from the training data (same bytes each time)
	$(BIN)/python -m train.fit

fuzz: $(STAMP)  ## property tests with a large example budget; prints cases run and failed
	$(BIN)/python -m bench.bench_fuzz

clean-venv:
	rm -rf $(VENV)
