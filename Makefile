# The two commands a newcomer needs: `make run` and `make test`. Both bootstrap .venv on first
# use (and again only when pyproject.toml changes), so they are safe to repeat.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.fieldkit-installed
QT_LIBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1

.PHONY: run test lint bench package clean sysdeps demo

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -m pip install -q -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -c "import fieldkit, PySide6, pyxform, networkx, openpyxl, reportlab, sqlite_utils, pytest, pytestqt, hypothesis" \
		|| { echo "make: installing the dependencies failed (see above)"; exit 1; }
	@touch $(STAMP)

# Qt needs a few system libraries; a bare Debian machine may lack them. Installed only when
# Qt cannot load and we are allowed to (root with apt-get); otherwise the message says what to do.
sysdeps: $(STAMP)
	@QT_QPA_PLATFORM=offscreen $(BIN)/python -c "from PySide6.QtWidgets import QApplication; QApplication([])" 2>/dev/null \
	|| { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	       echo "installing Qt's system libraries: $(QT_LIBS)"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(QT_LIBS) >/dev/null; \
	     else echo "Qt cannot start: install these system packages: $(QT_LIBS)"; exit 1; fi; }

run: sysdeps
	$(BIN)/fieldkit

test: sysdeps
	$(BIN)/ruff check fieldkit tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check fieldkit tests
	$(BIN)/ruff format --check fieldkit tests
	$(BIN)/lint-imports

demo: $(STAMP)
	$(BIN)/fieldkit-cli demo

bench: sysdeps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks

package: sysdeps
	$(BIN)/python -m pip install -q 'pyinstaller>=6' 'pyinstaller-hooks-contrib' 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/pyinstaller --noconfirm --clean packaging/fieldkit.spec --distpath dist --workpath build
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m package tests/packaging

clean:
	rm -rf build dist .pytest_cache .ruff_cache
