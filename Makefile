# SATracker: the two commands a newcomer needs are `make demo` and `make test`.
# Each installs what it needs into .venv first (idempotent: scripts/install.sh).
PYTHON := .venv/bin/python
PYTEST_ARGS ?= -q
LINT_DIRS := projects tools tests configs

.PHONY: install lint format test demo clean-demo help

help:
	@echo "make demo     install if needed, then the main job on synthetic VL data (CPU)"
	@echo "make test     install if needed, then the test suite"
	@echo "make format   isort, then yapf, in place over the same trees"
	@echo "make install  only the install into .venv (mmcv wheel cached in ~/.cache/satracker)"
	@echo "make lint     flake8, isort and yapf checks over $(LINT_DIRS) (make test runs it first)"

install:
	@bash scripts/install.sh

# The three linters of .pre-commit-config.yaml, pinned in requirements/tests.txt, with the
# settings of setup.cfg (100 columns). Each check reports every file it would change, then the
# target fails; "lint: clean" only when all three pass. Fix with `make format`.
lint: install
	@fail=0; \
	$(PYTHON) -m flake8 $(LINT_DIRS) || { echo "lint: flake8 found the problems above"; fail=1; }; \
	out=$$($(PYTHON) -m isort --check-only --diff $(LINT_DIRS) 2>&1) || { \
		printf '%s\n' "$$out"; echo "lint: isort would re-sort the imports of:"; \
		printf '%s\n' "$$out" | \
		sed -n 's|^ERROR: \(.*\) Imports are.*|  \1|; T; s|$(CURDIR)/||; p'; fail=1; }; \
	out=$$($(PYTHON) -m yapf --diff --recursive --parallel $(LINT_DIRS)) || { \
		printf '%s\n' "$$out"; echo "lint: yapf would reformat:"; \
		printf '%s\n' "$$out" | sed -n 's|^+++ \(.*\)\t(reformatted)$$|  \1|p'; fail=1; }; \
	if [ $$fail -ne 0 ]; then echo "lint: failed ('make format' applies isort and yapf)"; \
		exit 1; fi; \
	echo "lint: clean"

# isort then yapf, in place, over the same trees (flake8's findings are fixed by hand).
format: install
	@$(PYTHON) -m isort $(LINT_DIRS) && \
	$(PYTHON) -m yapf --in-place --recursive --parallel $(LINT_DIRS)

test: install lint
	@$(PYTHON) -m pytest tests $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as a failure"; exit 1; fi; \
	exit $$rc

demo: install
	@$(PYTHON) tools/synthetic_benchmark.py $(DEMO_ARGS)

clean-demo:
	rm -rf work_dirs/demo work_dirs/demo_seed* data/synthetic_vl data/synthetic_vl_seed* data/synthetic_vl_val_seed*
