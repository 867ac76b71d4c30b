# Bootstrap only: make the virtualenv from the lock, then hand over to the invoke tasks in tasks.py.
PYTHON ?= python3.11
VENV   := .venv
STAMP  := $(VENV)/.installed
INVOKE := $(VENV)/bin/invoke

.PHONY: serve preview test test-fast lint build publish clean check new new-document remove-samples counter lock help screenshots
.DEFAULT_GOAL := help

help:
	@echo "make serve    preview the site with the visitor counter on http://127.0.0.1:8000 (PORT=8080 for another port)"
	@echo "make preview  the production build (publishconf.py) served locally with the counter (PORT=…)"
	@echo "make test     run every test (and make lint): the full gate CI runs (about 10 minutes)"
	@echo "make test-fast  the fast tier (and make lint): no site build, server or browser (under a minute; tests/README.md)"
	@echo "make lint     lint the Python code with ruff (rules in pyproject.toml)"
	@echo "make build    development build into output/ (pelicanconf.py)"
	@echo "make publish  production build into output/ (publishconf.py)"
	@echo "make clean    remove output/, .cache/, .pytest_cache/, var/dev/, bench/.work/ and __pycache__/"
	@echo "make check    check the content (FILE=\"a.md b/\" for some files, FIX=1 to write back NFC and remove invisible characters)"
	@echo "make new      start an article: make new ARGS='--title \"…\" --category \"…\"'"
	@echo "make new-document  start a document (Văn bản): make new-document ARGS='--number \"57-NQ/TW\" --type \"Nghị quyết\" --file ~/nq57.pdf'"
	@echo "make remove-samples  remove the sample content listed in samples.txt (git rm), before going live"
	@echo "make import-legacy SRC=\"trang-cu/ bai.html\" [OUT=content/articles] [FORCE=1]  import pages of the old portal"
	@echo "make counter  run the visitor counter alone (production)"
	@echo "make lock     re-resolve requirements.lock from pyproject.toml"
	@echo "make screenshots  PNGs of the home, an article and the documents list at 390 and 1280 px in var/screenshots/ (for review)"

# The venv is rebuilt when the lock or pyproject.toml changes, a plugin package comes or goes
# (plugins/ changes: the editable install maps each package), or the interpreter disappeared.
$(STAMP): requirements.lock pyproject.toml plugins
	@$(VENV)/bin/python -c 'import sys' 2>/dev/null || { \
	  command -v $(PYTHON) >/dev/null || { \
	    echo "make: $(PYTHON) not found. Install Python 3.11 (Debian/Ubuntu: apt-get install python3.11 python3.11-venv)," >&2; \
	    echo "      or name one: make PYTHON=/path/to/python3.11 …  /  Cần Python 3.11 (apt-get install python3.11 python3.11-venv)." >&2; \
	    exit 1; }; \
	  echo "First set-up / Cài đặt lần đầu: creating .venv with $(PYTHON)…"; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@echo "Installing the locked Python packages into .venv (about a minute the first time; requirements.lock)…"
	@$(VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@# The project itself (plugins/, tasks.py, the counter's console script), editable: its code is
	@# the checkout's. Its dependencies and build backend are the lock's above: nothing is fetched.
	@$(VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation --no-index --editable .
	@touch $@
	@echo "Ready / Sẵn sàng."

test lint build publish: $(STAMP)
	$(INVOKE) $@

test-fast: $(STAMP)
	$(INVOKE) test --fast

check: $(STAMP)
	@$(INVOKE) check $(if $(FIX),--fix) $(if $(FILE),-- $(FILE))

serve: $(STAMP)
	$(INVOKE) serve $(if $(PORT),--port $(PORT))

preview: $(STAMP)
	$(INVOKE) preview $(if $(PORT),--port $(PORT))

# npm dev dependencies of the quality gates (vnu-jar, axe-core), exactly as package-lock.json
# pins them. --ignore-scripts: vnu-jar's postinstall would download a Java; the machine's runs it.
NODE_STAMP := node_modules/.installed
test: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML and accessibility tests will skip (CI installs it)"; fi

new: $(STAMP)
	@$(INVOKE) new $(ARGS)

new-document: $(STAMP)
	@$(INVOKE) new-document $(ARGS)

remove-samples: $(STAMP)
	@$(INVOKE) remove-samples

counter: $(STAMP)
	$(INVOKE) counter

screenshots: $(STAMP)
	$(INVOKE) screenshots

# The same folders as `invoke clean` (tasks.py), .cache/ included (Pelican's content cache, image
# derivatives): README.md lists them, tests/test_docs.py keeps the list and this line equal.
clean:
	rm -rf output .cache .pytest_cache var/dev bench/.work
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra test --group build \
	  --generate-hashes --python-version 3.11 -o requirements.lock

# Editorial tools: make new ARGS='--title "…" --category "…"',
# make import-legacy SRC="trang-cu/ bai.txt" [OUT=content/articles] [FORCE=1]
.PHONY: import-legacy
import-legacy: $(STAMP)
	@$(INVOKE) import-legacy $(if $(OUT),--out "$(OUT)") $(if $(FORCE),--force) -- $(SRC)
