# dalil: `make run` serves the demo case, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOME_DIR := $(or $(DALIL_HOME),dalil-data)

.PHONY: install browser ocr report-tools run demo test lint typecheck unit unit-fast coverage-table screens clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "dalil needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install report-tools
	@test -f "$(HOME_DIR)/workspace.toml" || $(BIN)/dalil --home "$(HOME_DIR)" demo
	@# the demo's vault passphrase sits beside it (fictional data only; see docs/server.md)
	DALIL_PASSPHRASE_FILE=$${DALIL_PASSPHRASE_FILE:-$$(test -f "$(HOME_DIR)/demo/passphrase.txt" && echo "$(HOME_DIR)/demo/passphrase.txt")} \
	  $(BIN)/dalil --home "$(HOME_DIR)" serve

# Debian's Chromium and Arabic-capable fonts for the browser tests (Playwright drives
# /usr/bin/chromium and never downloads a browser). Needs root or sudo for apt-get.
browser:
	@test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -qi "Noto Sans Arabic" || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null; }

# Tesseract with its Arabic and English data, for OCR of scanned PDFs (optional in use;
# the tests exercise it). Needs root or sudo for apt-get.
ocr:
	@tesseract --list-langs 2>/dev/null | grep -qx ara || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng >/dev/null; }

# Pango and HarfBuzz for WeasyPrint (case-file PDFs), Noto fonts for Arabic and Latin
# text, and poppler-utils (pdftotext) with which the tests read the PDFs back. Needs root
# or sudo for apt-get.
report-tools:
	@{ command -v pdftotext >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 && \
	  ldconfig -p | grep -q libharfbuzz-subset && fc-list | grep -qi "Noto Naskh Arabic"; } || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 fonts-noto-core >/dev/null; }

# Screenshots of the main screens (English and Arabic) from a fresh demo into docs/screens/
screens: install browser
	$(BIN)/python tools/screens.py docs/screens

# Interface strings: extract every t('...') and N_('...') (babel.cfg) into build/dalil.pot,
# then append those in no Arabic .po yet to web/locale/ar/LC_MESSAGES/new.po, for a
# translator (docs/translating.md); existing translations are never rewritten.
.PHONY: messages
messages: install
	@mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k N_ --sort-output \
	  --project dalil -o build/dalil.pot .
	$(BIN)/python tools/messages.py build/dalil.pot

lint: install
	$(BIN)/ruff check src tests benchmarks tools

typecheck: install
	$(BIN)/mypy

# every core: the suite with coverage takes about 14 minutes on 2 cores of this machine.
# Branch coverage of src/dalil is measured on the way ([tool.coverage.run] in
# pyproject.toml; `dalil` run as a subprocess by the CLI tests is measured too), and its
# table per package is printed and written to build/coverage.md for docs/architecture.md.
unit: install browser ocr report-tools
	$(BIN)/pytest -n auto --dist load --cov --cov-report=
	@$(MAKE) --no-print-directory coverage-table

# the table per package of the last measured run (.coverage), again
coverage-table:
	$(BIN)/coverage json -q
	$(BIN)/python tools/coverage_table.py build/coverage.json --markdown build/coverage.md

# the suite alone, without coverage (quicker when only the verdict matters)
unit-fast: install browser ocr report-tools
	$(BIN)/pytest -n auto --dist load

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage .coverage.* build/coverage.json build/coverage.md
