"""The docs hold together: a short front page, links that resolve, and every setting a plugin
reads documented in that plugin's README, next to the default its code uses.

The settings a plugin reads are found in its code, not listed by hand: the keys of a module-level
`DEFAULTS` dict, and every UPPER_CASE string literal given to a settings lookup
(`settings["X"]`, `settings.get("X", …)`, `setting(settings, "X")`, `_setting(…)`,
`setdefault("X", …)`, `os.environ.get("X")`), plus every UPPER_CASE name its own Jinja templates
print (Pelican hands every setting to the templates) unless the plugin puts that name into the
context itself (`context["X"] = …`). A plugin README lists them in the tables of its
"## Settings" section: its own settings with their defaults, then the ones of Pelican or of other
plugins that it reads.

The counter service (plugins/hitcount_service) is no Pelican plugin: its settings are the rows of
one table, the fields of its settings.py (`FIELDS`, named by its `env_name`: store →
HITCOUNT_STORE), read from flags, the environment and a settings file. Its README lists every row
with the default and the flag of the code.
"""

from __future__ import annotations

import ast
import importlib
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
FRONT_PAGE = ROOT / "README.md"
FRONT_PAGE_LIMIT = 8 * 1024

# Packages whose settings are a table (settings.FIELDS) rather than Pelican settings lookups. Listed
# by name, so that the service's README is checked even if its package went missing.
SERVICE_PACKAGES = ("hitcount_service",)

UPPER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{2,}[A-Z0-9]*")
LOOKUPS = {"get", "setdefault", "pop"}  # methods whose first argument is a settings key
FENCED = re.compile(r"^```.*?^```", re.M | re.S)


def plugin_packages() -> list[str]:
    found = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file())
    return found + [name for name in SERVICE_PACKAGES if name not in found]


def markdown_files() -> list[Path]:
    files = [FRONT_PAGE, *sorted((ROOT / "docs").rglob("*.md"))]
    ours = [p for p in sorted(ROOT.glob("*/README.md")) if not p.parent.name.startswith(".")]  # not .pytest_cache/
    return files + ours + sorted(PLUGINS.glob("*/README.md"))


def package_readme(package: str) -> Path:
    assert (PLUGINS / package / "__init__.py").is_file(), f"plugins/{package} is not a package"
    readme = PLUGINS / package / "README.md"
    assert readme.is_file(), f"plugins/{package} has no README.md"
    return readme


# --- What a plugin reads ----------------------------------------------------------------------


def _key(node: ast.AST) -> str | None:
    value = node.value if isinstance(node, ast.Constant) else None
    return value if isinstance(value, str) and UPPER.fullmatch(value) else None


def _call_name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _defaults(tree: ast.Module) -> dict[str, ast.AST]:
    """Keys and value nodes of a module-level DEFAULTS = {...}."""
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == "DEFAULTS" and isinstance(value, ast.Dict):
            return {k.value: v for k, v in zip(value.keys, value.values) if _key(k)}
    return {}


def _subscripts(tree: ast.Module, ctx: type) -> set[str]:
    nodes = (n for n in ast.walk(tree) if isinstance(n, ast.Subscript) and isinstance(n.ctx, ctx))
    return {key for node in nodes if (key := _key(node.slice))}


def _reads(tree: ast.Module) -> set[str]:
    names = _subscripts(tree, ast.Load)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = _call_name(node.func)
            if called in LOOKUPS and node.args and (key := _key(node.args[0])):
                names.add(key)
            elif called.endswith("setting"):  # setting(settings, "X"), _setting, documents_setting
                names.update(key for arg in node.args if (key := _key(arg)))
    return names


def _writes(tree: ast.Module) -> set[str]:
    """Names a plugin puts into the context or the settings itself (context["X"] = …)."""
    return _subscripts(tree, ast.Store)


def _template_reads(folder: Path) -> set[str]:
    names: set[str] = set()
    for template in folder.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for block in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text, re.S):
            block = re.sub(r"(['\"]).*?\1", "", block)  # not inside string literals
            names.update(m for m in re.findall(r"\b[A-Z][A-Z0-9_]*\b", block) if UPPER.fullmatch(m))
    return names


def _value(node: ast.AST, source: Path) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:  # arithmetic such as 30 * 60
        code = compile(ast.Expression(node), str(source), "eval")
        return eval(code, {"__builtins__": {}})


def service_table(package: str) -> dict[str, tuple[object, str, str | None]]:
    """A service's settings table: HITCOUNT_* name → (its default, the default as settings.py
    writes it, its flag), from the module itself (FIELDS, env_name)."""
    module = importlib.import_module(f"{package}.settings")
    text = Path(module.__file__).read_text(encoding="utf-8")
    written = {  # field name → the source of row(<default>, …)'s first argument
        node.target.id: ast.get_source_segment(text, node.value.args[0])
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        and isinstance(node.value, ast.Call) and node.value.args
    }  # fmt: skip
    return {module.env_name(name): (row.default, written.get(name) or "", row.metadata.get("flag"))
            for name, row in module.FIELDS.items()}  # fmt: skip


def scan(package: str) -> tuple[set[str], dict[str, object]]:
    """(every setting the package reads, its defaults with their values): a plugin's DEFAULTS,
    a service's settings table."""
    folder = PLUGINS / package
    reads: set[str] = set()
    writes: set[str] = set()
    defaults: dict[str, object] = {}
    for source in sorted(folder.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
        reads |= _reads(tree)
        writes |= _writes(tree)
        defaults.update({key: _value(node, source) for key, node in _defaults(tree).items()})
    if package in SERVICE_PACKAGES:
        defaults.update({key: default for key, (default, _, _) in service_table(package).items()})
    reads |= _template_reads(folder) - writes
    return reads | set(defaults), defaults


# --- What a README says -----------------------------------------------------------------------


def settings_lines(readme: Path) -> dict[str, list[str]]:
    """Setting name → the cells of its row, from every table under "## Settings"."""
    text = readme.read_text(encoding="utf-8")
    section = re.search(r"^## Settings\b.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, f"{readme.relative_to(ROOT)} has no '## Settings' section"
    rows: dict[str, list[str]] = {}
    for line in section.group(1).splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and not set(cells[0]) <= set("-: "):
            rows.update(dict.fromkeys(re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]), cells))
    return rows


def settings_rows(readme: Path) -> dict[str, str]:
    """Setting name → the default cell of its row."""
    return {name: cells[1] for name, cells in settings_lines(readme).items()}


def _plain(value: object) -> object:
    """Tuples as lists, so that a README may write either."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def shows(cell: str, value: object) -> bool:
    """Whether a README's default cell shows this default."""
    if isinstance(value, bool) or value is None:
        return re.search(rf"\b{value}\b", cell) is not None
    if isinstance(value, (int, float)):
        numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", cell)
        return any(float(n.replace(",", "")) == value for n in numbers)
    if isinstance(value, str):
        return f"`{value}`" in cell or f'"{value}"' in cell
    literals = []
    for chunk in re.findall(r"`([^`]+)`", cell):
        try:
            literals.append(_plain(ast.literal_eval(chunk)))
        except (ValueError, SyntaxError):
            continue
    return _plain(value) in literals


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = (c for c in unicodedata.normalize("NFC", text) if c.isalnum() or c in "- _")
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    text = FENCED.sub("", path.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#{1,6} (.+?)\s*$", text, re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found | set(re.findall(r"<a (?:id|name)=\"([^\"]+)\"", text))


# --- The tests --------------------------------------------------------------------------------


def test_front_page_is_short_with_a_table_of_contents():
    text = FRONT_PAGE.read_text(encoding="utf-8")
    assert len(text.encode()) <= FRONT_PAGE_LIMIT, f"README.md is {len(text.encode())} bytes"
    headings = re.findall(r"^## (.+)$", text, re.M)
    toc = text.split("\n## ", 1)[0]
    assert len(headings) >= 4, headings
    for heading in headings:
        assert f"(#{slug(heading)})" in toc, f"the table of contents lacks {heading!r}"


def test_front_page_leads_to_settings_and_the_nd42_checklist():
    text = FRONT_PAGE.read_text(encoding="utf-8")
    for target in ("docs/settings.md", "docs/nd-42-2022.md", "plugins/hitcount_service/README.md"):
        assert f"]({target}" in text, target
    settings = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert "`SITEURL`" in settings and "publishconf.py" in settings


def test_make_clean_removes_what_the_front_page_says():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^clean:\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no clean target"
    removed = set(re.search(r"rm -rf (.*)", recipe.group(1)).group(1).split())
    removed |= {"__pycache__"} if "-name __pycache__" in recipe.group(1) else set()
    front = FRONT_PAGE.read_text(encoding="utf-8")
    said = re.search(r"`make clean` removes (.*?)\.\s", front, re.S)
    assert said, "README.md does not say what `make clean` removes"
    listed = {p.rstrip("/") for p in re.findall(r"`([^`]+)`", said.group(1)) if p != ".venv/"}
    assert listed == removed


@pytest.mark.parametrize("doc", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    text = re.sub(r"`[^`\n]*`", "", FENCED.sub("", doc.read_text(encoding="utf-8")))
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists() or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
            broken.append(target)
    assert not broken, f"{doc.relative_to(ROOT)}: links that lead nowhere: {broken}"


@pytest.mark.parametrize("package", plugin_packages())
def test_every_setting_a_plugin_reads_is_in_its_readme(package):
    readme = package_readme(package)
    reads, _ = scan(package)
    missing = sorted(reads - set(settings_rows(readme)))
    assert not missing, f"plugins/{package}/README.md, '## Settings', lacks {missing}"


@pytest.mark.parametrize("package", plugin_packages())
def test_readme_defaults_are_the_code_defaults(package):
    """A default short enough to write in a table cell is written there as the code has it: its
    value, or (a service's default that depends on the machine, os.cpu_count()) its expression."""
    rows = settings_rows(package_readme(package))
    _, defaults = scan(package)
    written = {k: w for k, (_, w, _) in service_table(package).items()} if package in SERVICE_PACKAGES else {}
    wrong = {key: (value, rows.get(key)) for key, value in defaults.items()
             if len(repr(value)) <= 80 and not shows(rows.get(key, ""), value)
             and not (written.get(key) and f"`{written[key]}`" in rows.get(key, ""))}  # fmt: skip
    assert not wrong, f"plugins/{package}/README.md: default shown ≠ the code's: {wrong}"


@pytest.mark.parametrize("package", SERVICE_PACKAGES)
def test_service_readme_rows_name_the_flag_of_the_code(package):
    """Every row of the service's table names its command-line flag, and no other (none if it has none)."""
    lines = settings_lines(package_readme(package))
    table = service_table(package)
    assert len(table) >= 10, "the service's settings table is not where this test looks"
    wrong = {}
    for key, (_, _, flag) in table.items():
        shown = set(re.findall(r"`(--[a-z][a-z-]*)`", " | ".join(lines.get(key, []))))
        if shown != ({flag} if flag else set()):
            wrong[key] = (flag, sorted(shown))
    assert not wrong, f"plugins/{package}/README.md: the flag shown ≠ the code's: {wrong}"


def test_every_test_a_doc_cites_exists():
    """A doc backs its promises with tests by name: each tests/test_….py and test_… it names
    (outside code blocks) exists, so a renamed or removed test cannot leave a promise unbacked."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "tests").glob("*.py")}
    defined = {name for text in sources.values() for name in re.findall(r"^\s*(?:async )?def (test_\w+)", text, re.M)}
    missing = []
    for doc in markdown_files():
        text = FENCED.sub("", doc.read_text(encoding="utf-8"))
        files = set(re.findall(r"(?:\btests/|(?<![\w./]))(test_\w+\.py)\b", text))
        names = set(re.findall(r"(?<![\w/.])(test_\w+)\b(?!\.py)", text))
        missing += [f"{doc.relative_to(ROOT)}: {n}" for n in sorted(files - set(sources)) + sorted(names - defined)]
    assert not missing, f"docs cite tests that do not exist: {missing}"


def test_every_plugin_path_a_doc_names_exists():
    """A module that moved (plugins/hitcount/csp.py → plugins/hitcount_service/csp.py) leaves no
    doc pointing at its old place: every plugins/… path named outside code blocks exists."""
    missing = []
    for doc in markdown_files():
        text = FENCED.sub("", doc.read_text(encoding="utf-8"))
        paths = set(re.findall(r"(?<![\w./-])(plugins/[\w/.-]*\w/?)", text))
        missing += [f"{doc.relative_to(ROOT)}: {path}" for path in sorted(paths) if not (ROOT / path).exists()]
    assert not missing, f"docs name plugin files that do not exist: {missing}"


def test_the_scan_finds_reads_of_every_shape():
    tree = ast.parse(
        'settings["A_ONE"]; settings.get("B_TWO", 1); setting(s, "C_THREE")\n'
        '_setting(s, "D_FOUR"); os.environ.get("E_FIVE"); ctx["F_SIX"] = 1; x.get("lower")\n'
        'DEFAULTS = {"G_SEVEN": 30 * 60}'
    )
    assert _reads(tree) == {"A_ONE", "B_TWO", "C_THREE", "D_FOUR", "E_FIVE"}
    assert _writes(tree) == {"F_SIX"}
    assert {k: _value(v, Path("x.py")) for k, v in _defaults(tree).items()} == {"G_SEVEN": 1800}
    assert shows("`1800` (30 minutes)", 1800) and not shows("`180`", 1800)
    assert shows('`["a", "b"]`', ("a", "b")) and not shows('`["a"]`', ("a", "b"))
    assert slug("Privacy / Quyền riêng tư") == "privacy--quyền-riêng-tư"
    assert slug("Preview (`make serve`)") == "preview-make-serve"
