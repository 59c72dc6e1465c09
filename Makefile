# formkit — two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs by itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
# Some machines set PYTHONDONTWRITEBYTECODE; then every run compiles formkit and rewrites every
# test module again (about 4 s of each test-fast run). Bytecode caches are ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install sysdeps test test-fast lint demo serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# LibreOffice, poppler-utils (pdftotext) and qpdf check real artefacts in the tests; Liberation
# fonts have Arial's widths, so a PDF made by LibreOffice breaks its lines as Word would; Debian's
# Chromium runs the browser app's tests (Playwright drives it; never `playwright install`).
# Installed with apt-get when missing and we are root (as in CI); otherwise a hint is printed.
sysdeps:
	@missing=""; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	test -e /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Optional system packages missing:$$missing (sudo apt-get install$$missing)"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check formkit tests bench scripts
	$(BIN)/ruff format --check formkit tests bench scripts
	$(BIN)/mypy

# Everything: lint, types, and every test (LibreOffice, slow and browser ones included).
test: $(STAMP) sysdeps lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The quick loop while working: no LibreOffice, no slow tests, no browser, on TEST_JOBS
# processes (pytest-xdist). A LibreOffice test that is not marked fails here (tests/conftest.py).
TEST_JOBS ?= 2
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) \
	  -m "not libreoffice and not slow and not browser"

demo: $(STAMP)
	$(BIN)/python scripts/demo.py --out $(OUT)

# The browser app on the demo's tracker (made by `make demo` when it is not there yet).
serve: $(STAMP)
	test -f $(OUT)/tracker.xlsx || $(MAKE) demo
	$(BIN)/formkit serve --tracker $(OUT)/tracker.xlsx --profile bexley --now 2026-11-25T09:00

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-903 $(OUT) .pytest_cache .mypy_cache .ruff_cache
