# labkit: two commands do everything on a fresh machine.
#   make lab   - set up .venv and open the course in JupyterLab
#   make test  - set up .venv with the test extras and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# More `jupyter lab` options, e.g. LAB_ARGS=--no-browser on a machine without one.
LAB_ARGS ?=
# JupyterLab refuses to run as root (containers, cloud shells) without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# The real OpenStack clients (openstack, nova, openstacksdk, tempest) that
# tests/clients/ runs against a lab: their own venv, apart from labkit's.
CLIENTS := .venv-clients

.PHONY: lab test bench clean clients-venv rabbitmq binder-pins

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[lab]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[lab,test,bench]"
	touch $@ $(VENV)/.lab-installed

lab: $(VENV)/.lab-installed $(CLIENTS)/.installed
	@tools/rabbitmq.sh start --no-install || echo "(the course runs without RabbitMQ; only the multi-process lab needs it)"
	PATH=$(CURDIR)/$(CLIENTS)/bin:$$PATH $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) $(ALLOW_ROOT) $(LAB_ARGS) notebooks/00.00-Start-Here.ipynb

$(CLIENTS)/.installed: tests/clients/requirements.txt
	$(PYTHON) -m venv $(CLIENTS)
	$(CLIENTS)/bin/pip install --quiet --upgrade pip
	$(CLIENTS)/bin/pip install --quiet -r tests/clients/requirements.txt
	touch $@

clients-venv: $(CLIENTS)/.installed

# RabbitMQ for the multi-process lab (tests/cluster); without root the tests say how to get it.
rabbitmq:
	@tools/rabbitmq.sh start || echo "(no RabbitMQ: tests/cluster will be skipped, or fail under CI)"

test: $(VENV)/.test-installed $(CLIENTS)/.installed rabbitmq
	$(BIN)/python -m pytest tests -q
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

# Pin binder/requirements.txt to what the course needs, at the versions installed in the
# tested .venv (tools/binder_pins.py); tests/binder/ then builds Binder from those pins.
binder-pins: $(VENV)/.test-installed
	$(BIN)/python tools/binder_pins.py

bench: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(CLIENTS) build *.egg-info
