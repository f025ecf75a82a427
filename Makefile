# Clip Studio: `make run` and `make test` are the only two set-up commands (README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
DISTSTAMP := $(VENV)/.installed-dist
DIST_EXE  := dist/clipstudio/clipstudio
DIST_INPUTS := build.spec LICENSE pyproject.toml \
  $(shell find clipstudio packaging assets -type f -not -path '*/__pycache__/*' 2>/dev/null)
CLIP ?=

.PHONY: run test bench lint sample clean dist dist-test icons

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

# Test extras: pytest-qt, ruff, and the optional openai-whisper engine with the CPU torch on disk.
# System packages (espeak-ng for speech, Xvfb, a window manager (openbox) and xdotool for the
# real-window tests, the xcb libraries, desktop-file-validate for the Linux menu entry) are
# installed with apt when we are root and they are missing; without openbox the real-window
# fit tests skip.
$(TESTSTAMP): $(STAMP)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	   ! { command -v espeak-ng && command -v Xvfb && command -v openbox && command -v xdotool && command -v desktop-file-validate && [ -e /usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0 -o -e /usr/lib/aarch64-linux-gnu/libxcb-cursor.so.0 ]; } >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    espeak-ng xvfb openbox xdotool desktop-file-utils libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
	    libxcb-shape0 libxcb-render-util0 libxcb-image0 libegl1 libgl1 libfontconfig1 libdbus-1-3 >/dev/null; \
	fi
	$(PIP) install -q -e '.[test,openai-whisper]'
	touch $@

# On Linux the system libraries Qt's xcb plugin needs are checked first
# (packaging/qt_system_libs.py): missing ones get the one install command for this system, or
# are installed when run as root. The terminal shows the app's own messages only; VERBOSE=1
# adds Qt's and FFmpeg's (clipstudio gui --verbose).
run: $(STAMP)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ "$$(uname)" = Linux ]; then \
	  echo "No display found, so the window cannot open here."; \
	  echo "Use the command line instead, for example:"; \
	  echo "  $(VENV)/bin/clipstudio check CLIP"; \
	  echo "  $(VENV)/bin/clipstudio export CLIP -o OUT.mp4"; \
	  echo "  $(VENV)/bin/clipstudio --help"; \
	else \
	  $(PY) packaging/qt_system_libs.py && \
	  $(VENV)/bin/clipstudio gui $(if $(VERBOSE),--verbose) $(CLIP); \
	fi

test: $(TESTSTAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy clipstudio/core
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider --ignore=tests/dist
	@if [ "$$CLIPSTUDIO_DIST_TEST" = 1 ]; then $(MAKE) dist-test; fi

# PyInstaller (the [dist] extra) is needed only to build the standalone folder.
$(DISTSTAMP): $(STAMP)
	$(PIP) install -q -e '.[dist]'
	touch $@

# The standalone one-folder app in dist/clipstudio/ (docs/packaging.md); rebuilt when a source
# file changes.
dist: $(DIST_EXE)

$(DIST_EXE): $(DISTSTAMP) $(DIST_INPUTS)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN build.spec
	@du -sh dist/clipstudio

# The frozen executable, headless, offline and with no Python on PATH (tests/dist/test_frozen.py).
dist-test: $(TESTSTAMP) dist
	CLIPSTUDIO_DIST_TEST=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/dist

bench: $(TESTSTAMP) dist
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

lint: $(TESTSTAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# Re-render the app icon's PNG/ICO/ICNS files after editing assets/icons/clipstudio.svg.
icons: $(STAMP)
	$(PY) packaging/make_icons.py

sample: $(STAMP)
	$(PY) assets/make_sample.py

clean:
	rm -rf $(VENV) .media-cache test-artifacts bench-out dist build
