PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACK ?= scenarios

.PHONY: play test bench lint-pack clean

# A marker per install flavour so `make` re-installs only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

play: $(VENV)/.installed
	$(BIN)/countertalk --pack $(PACK)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint-pack: $(VENV)/.installed
	$(BIN)/countertalk lint --strict $(PACK)

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
