"""Search quality, measured the way readers meet it: the production build of a test site, its
search page in Debian's Chromium (Playwright), each query typed into the page's own script
(theme/static/js/search.js) and the result links read back in order. No network: the site is
served from the build folder through request interception, and any other host is refused.

Used by bench/search-quality (the figures) and tests/test_search_quality.py (the hard cases).
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import search_set  # noqa: E402

ORIGIN = "https://search-quality.example"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def write_content(dest: Path) -> Path:
    """The test site's content: SEED_ARTICLES seed-made articles (bench/corpus.py, with the
    site's pages and images), the repository's own articles and documents (their pages are in
    the search too) and the set's articles."""
    content = corpus.write_corpus(dest, search_set.SEED_ARTICLES, force=True)
    shutil.copytree(ROOT / "content" / "articles", content / "articles", dirs_exist_ok=True)
    if (ROOT / "content" / "van-ban").is_dir():  # plugins/documents
        shutil.copytree(ROOT / "content" / "van-ban", content / "van-ban", dirs_exist_ok=True)
    for key in search_set.ARTICLES:
        rel, text = search_set.markdown(key)
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return content


def build(dest: Path, *extra: str) -> Path:
    """The production build (publishconf.py) of the test site into dest/out; its path."""
    from tasks import PUBLISH_SETTINGS, pelican_command  # noqa: PLC0415

    content = write_content(dest / "site")
    out = dest / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = pelican_command(PUBLISH_SETTINGS, out, *extra)
    cmd[cmd.index(str(ROOT / "content"))] = str(content)
    env = {**os.environ, "SITEURL": ORIGIN, "COLUMNS": "400", "TERM": "dumb"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return out


@dataclass
class SearchPage:
    """The built site's search page in Chromium; search(query) → result paths, in order."""

    site: Path
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __enter__(self) -> SearchPage:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._contexts = []
        self.page = self.new_page()
        return self

    def new_page(self, **options):
        """A page in a browser context of its own (Playwright's new_context options), served
        the same way."""
        context = self._browser.new_context(**options)
        self._contexts.append(context)
        context.route("**/*", self._serve)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page

    def __exit__(self, *exc) -> None:
        for context in self._contexts:
            context.close()
        self._browser.close()
        self._pw.stop()

    def _serve(self, route) -> None:
        parts = urlsplit(route.request.url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            self.foreign.append(route.request.url)
            return route.abort()
        path = self.site / parts.path.lstrip("/")
        if parts.path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return route.fulfill(status=404, body="not found")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=path.read_bytes(), content_type=kind)

    def search(self, query: str) -> list[str]:
        """The query typed into the search page's field and sent (the page is opened with it
        in the address the first time), as a reader does; the result paths in order."""
        if urlsplit(self.page.url).path == "/tim-kiem.html":
            self.page.fill("#tim-kiem-q", query)
            # search.js marks the page busy while it answers the submit event
            self.page.evaluate("document.querySelector('.search__form').requestSubmit()")
        else:
            self.page.goto(f"{ORIGIN}/tim-kiem.html?q={quote(query)}")
        self.page.wait_for_selector("[data-search-state=done]", timeout=30_000)
        hrefs = self.page.eval_on_selector_all(".search__result .item__title a", "els => els.map(e => e.href)")
        return [urlsplit(h).path for h in hrefs]


def rank(paths: list[str], slugs: list[str]) -> int | None:
    """0-based rank of the first result that is one of the expected articles, or None."""
    for i, path in enumerate(paths):
        if any(path.endswith(f"/{slug}.html") for slug in slugs):
            return i
    return None


def measure(site: Path, queries=None, top: int = 3, searcher: SearchPage | None = None) -> dict:
    """Each query's results and the share of queries whose expected article is in the top `top`
    (with an open SearchPage on the site, or a new one)."""
    if searcher is None:
        with SearchPage(site) as searcher:
            result = measure(site, queries, top, searcher)
        if searcher.foreign or searcher.errors:
            raise RuntimeError(f"the search page misbehaved: {searcher.foreign + searcher.errors}")
        return result
    queries = search_set.QUERIES if queries is None else queries
    rows = []
    for query, answer, kind in queries:
        paths = searcher.search(query)
        found = rank(paths, search_set.expected(answer))
        rows.append({"query": query, "answer": answer, "kind": kind, "rank": found,
                     "hit": found is not None and found < top, "results": paths[:5]})  # fmt: skip
    hits = sum(r["hit"] for r in rows)
    kinds: dict[str, list[int]] = {}
    for r in rows:
        kinds.setdefault(r["kind"], [0, 0])
        kinds[r["kind"]][0] += r["hit"]
        kinds[r["kind"]][1] += 1
    nouns = [r for r in rows if r["kind"] == "proper noun"]
    first = sum(r["rank"] == 0 for r in rows)
    return {"top": top, "queries": len(rows), "hits": hits, "precision": hits / len(rows),
            "kinds": kinds, "first": first,
            "proper_noun_first": [sum(r["rank"] == 0 for r in nouns), len(nouns)],
            "rows": rows}  # fmt: skip


def article_count(site: Path) -> int:
    return len([p for p in site.rglob("*.html") if len(p.relative_to(site).parts) == 5])


def report(result: dict, articles: int) -> str:
    lines = [
        f"{result['queries']} queries on {articles} articles: expected article in the top "
        f"{result['top']} for {result['hits']} ({result['precision']:.1%}), first for "
        f"{result['first']} ({result['first'] / result['queries']:.1%})",
        "",
        "| kind | in top 3 | queries |",
        "| --- | ---: | ---: |",
    ]
    for kind, (hits, total) in result["kinds"].items():
        lines.append(f"| {kind} | {hits} | {total} |")
    first, nouns = result["proper_noun_first"]
    lines += ["", f"Proper-noun queries whose proper noun is the first result: {first} of {nouns}"]
    lines += [f"- {r['query']!r}: rank {'none' if r['rank'] is None else r['rank'] + 1}"
              for r in result["rows"] if r["kind"] == "proper noun" and r["rank"] != 0]
    failures = [r for r in result["rows"] if not r["hit"]]
    lines += ["", f"Failures ({len(failures)}):" if failures else "No failure."]
    for r in failures:
        where = "not found" if r["rank"] is None else f"rank {r['rank'] + 1}"
        shown = ", ".join(Path(p).stem for p in r["results"][:3]) or "no result"
        lines.append(f"- {r['query']!r} ({r['kind']}): {r['answer']} {where}; top 3: {shown}")
    return "\n".join(lines)


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)
