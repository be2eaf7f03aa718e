PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACK ?= scenarios
# The lock: exact versions with hashes, made by pip-compile from pyproject.toml's ranges.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
	--no-emit-index-url --no-emit-find-links

.PHONY: play test check bench lint-pack lock lock-check clean fuzz

# A marker per install flavour, so `make` re-installs only when the lock changes. Installing from
# the lock with --require-hashes means every machine gets the same bytes; CounterTalk itself is
# then installed without touching its dependencies.
$(VENV)/.installed: $(RUNTIME_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)/.installed $@

play: $(VENV)/.installed
	$(BIN)/countertalk --pack $(PACK)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto

# The fuzz targets (tests/property/test_fuzz_targets.py) with a longer budget than CI's 150.
fuzz: $(VENV)/.installed-dev
	COUNTERTALK_FUZZ_EXAMPLES=$${EXAMPLES:-2000} $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/property/test_fuzz_targets.py

check: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_lock.py
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

lint-pack: $(VENV)/.installed
	$(BIN)/countertalk lint --strict $(PACK)

# Regenerate both locks from pyproject.toml (needs the package registry).
lock: $(VENV)/.installed-dev
	$(COMPILE) -o $(RUNTIME_LOCK) pyproject.toml
	$(COMPILE) --extra dev -o $(DEV_LOCK) pyproject.toml

lock-check: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_lock.py

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
