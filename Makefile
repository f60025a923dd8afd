# SATracker: the two commands a newcomer needs are `make demo` and `make test`.
# Each installs what it needs into .venv first (idempotent: scripts/install.sh).
PYTHON := .venv/bin/python
PYTEST_ARGS ?= -q

.PHONY: install lint test demo clean-demo help

help:
	@echo "make demo     install if needed, then the main job on synthetic VL data (CPU)"
	@echo "make test     install if needed, then the test suite"
	@echo "make install  only the install into .venv (mmcv wheel cached in ~/.cache/satracker)"
	@echo "make lint     flake8 over projects, tools, tests and configs (make test runs it first)"

install:
	@bash scripts/install.sh

lint: install
	@$(PYTHON) -m flake8 projects tools tests configs && echo "flake8: clean"

test: install lint
	@$(PYTHON) -m pytest tests $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as a failure"; exit 1; fi; \
	exit $$rc

demo: install
	@$(PYTHON) tools/synthetic_benchmark.py $(DEMO_ARGS)

clean-demo:
	rm -rf work_dirs/demo work_dirs/demo_seed* data/synthetic_vl data/synthetic_vl_seed* data/synthetic_vl_val_seed*
