# Tunesmith: `make run` sets everything up and starts the app; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOUNDFONT := /usr/share/sounds/sf2/FluidR3_GM.sf2
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run test setup system-deps venv lint bench clean

run: setup
	@echo "Starting Tunesmith on http://$(HOST):$(PORT)"
	$(PY) -m assistant serve --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest -q -ra tests

setup: system-deps venv

# Debian packages: FluidSynth, a General MIDI SoundFont, a Chinese font for lyrics in the sheet music,
# and Chromium for the browser test.
system-deps:
	@missing=""; \
	command -v fluidsynth >/dev/null 2>&1 || missing="$$missing fluidsynth"; \
	[ -f $(SOUNDFONT) ] || missing="$$missing fluid-soundfont-gm"; \
	[ -f $(CJK_FONT) ] || missing="$$missing fonts-wqy-microhei"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing \
	      || echo "WARNING: could not install$$missing; audio falls back to a simple synthesiser."; \
	  else \
	    echo "NOTE: apt-get is not available. Please install$$missing yourself;"; \
	    echo "      until then audio uses a simple built-in synthesiser and the browser test is skipped."; \
	  fi; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check .

bench: venv
	$(PY) benchmarks/latency.py

clean:
	rm -rf $(VENV) .tunesmith .pytest_cache
