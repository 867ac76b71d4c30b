"""`make serve` (plugins/preview): what it shows equals what `make build` writes, it never
goes blank, a broken file shows its error and keeps the last good site, tabs reload.

Each test runs `python -m preview` as `make serve` does, on a copy of content/, and
changes files under it the way an editor's editor would.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import httpx
import pytest

from hitcount_service.ssi import fill_search_query
from preview.site import strip_dev_parts
from tests.support import CHROMIUM, CHROMIUM_ARGS, free_port, require_executable
from tests.tiny_site import isolated_signals

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEED = "chinh-tri-xa-hoi/2023-11-08-bi-thu-thanh-uy-doi-thoai-can-bo.md"
SAMPLE = "chinh-tri-xa-hoi/2023-10-30-tiep-cong-dan-mau.md"
ENV = dict(os.environ)


class Preview:
    def __init__(self, tmp: Path, settings: Path = ROOT / "pelicanconf.py") -> None:
        self.content = tmp / "content"
        shutil.copytree(ROOT / "content", self.content)
        self.articles = self.content / "articles"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "preview.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "preview", "--port", str(self.port), "--content", str(self.content),
             "--output", str(tmp / "site"), "--store", str(tmp / "hits.sqlite3"),
             "--search-bundle", str(tmp / "no-search"), "--settings", str(settings)],
            cwd=ROOT, env=ENV, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.http = httpx.Client(base_url=self.base, timeout=30)
        self.wait(lambda s: s["version"] >= 1 and not s["errors"], "the first build")

    def state(self) -> dict:
        return self.http.get("/_preview/state").json()

    def wait(self, ready, what: str, timeout: float = 60) -> dict:
        """Poll until ready(state) (the preview is asynchronous); fail with the log if never."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"preview exited ({self.proc.returncode}):\n{self.log.read_text()}")
            try:
                state = self.state()
                if ready(state):
                    return state
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        pytest.fail(f"preview: never saw {what}; log:\n{self.log.read_text()}")

    def changed(self, since: int, what: str) -> dict:
        return self.wait(lambda s: s["generation"] > since, what)

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return strip_dev_parts(response.text)

    def save(self, relpath: str, text: str) -> int:
        """Write a file as an editor saves it; the generation before the save."""
        before = self.state()["generation"]
        path = self.articles / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return before

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def preview(tmp_path):
    p = Preview(tmp_path)
    yield p
    p.close()


def url_of(preview: Preview, source: str) -> str:
    """The URL of an article, from the page that lists it (its section's first page)."""
    text = (preview.articles / source).read_text("utf-8")
    title = next(line[7:] for line in text.splitlines() if line.startswith("Title: "))
    section = source.split("/")[0]
    listing = preview.page(f"/{section}/")
    for chunk in listing.split("<a ")[1:]:
        href = chunk.split('href="', 1)[1].split('"', 1)[0]
        if title.split(" (")[0][:30] in chunk.split("</a>", 1)[0]:
            return href
    raise AssertionError(f"{title} not listed on /{section}/")


def with_meta(text: str, **changes: str) -> str:
    lines = text.splitlines()
    for key, value in changes.items():
        for i, line in enumerate(lines):
            if line.startswith(f"{key}: "):
                lines[i] = f"{key}: {value}"
    return "\n".join(lines) + "\n"


def clean_build(content: Path, output: Path) -> None:
    """`make build` of the same content (search index off: the preview serves none)."""
    cmd = [sys.executable, "-m", "pelican", str(content), "--settings", str(ROOT / "pelicanconf.py"),
           "--output", str(output), "--fatal", "warnings", "-e", "SEARCH_ENABLED=false"]  # fmt: skip
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_served_pages_equal_a_clean_build_after_edits(preview, tmp_path):
    sample = (preview.articles / SAMPLE).read_text("utf-8")
    sample_url = url_of(preview, SAMPLE)

    # 1. One word of the body: the article's page shows it.
    before = preview.save(SAMPLE, sample.replace("ngày 15 hằng tháng", "ngày 16 hằng tháng"))
    preview.changed(before, "the edited article")
    assert "ngày 16 hằng tháng" in preview.page(sample_url)

    # 2. A new article: served at its URL, listed on the home page and its section's first page.
    new = with_meta(sample, Title="Hội nghị mới về cải cách hành chính", Date="2023-12-20 09:00",
                    Summary="Hội nghị bàn về cải cách hành chính năm 2024.")  # fmt: skip
    before = preview.save("kinh-te/2023-12-20-hoi-nghi-moi.md", with_meta(new, Category="Kinh tế"))
    preview.changed(before, "the new article")
    new_url = "/kinh-te/2023/12/20/hoi-nghi-moi-ve-cai-cach-hanh-chinh.html"
    assert "cải cách hành chính năm 2024" in preview.page(new_url)
    assert new_url in preview.page("/") and new_url in preview.page("/kinh-te/")

    # 3. A deleted article is gone from its URL and from the lists.
    gone = "thong-bao/2023-12-18-lich-lam-viec-tuan-51.md"
    gone_url = url_of(preview, gone)
    before = preview.state()["generation"]
    (preview.articles / gone).unlink()
    preview.changed(before, "the deletion")
    assert preview.get(gone_url).status_code == 404
    assert gone_url not in preview.page("/thong-bao/")

    # 4. A renamed file (same metadata): same page, nothing else changes.
    renamed = "thong-bao/2023-10-09-lich-lam-viec-tuan-41.md"
    before = preview.state()["generation"]
    (preview.articles / renamed).rename(preview.articles / "thong-bao/tuan-41-doi-ten.md")
    preview.changed(before, "the rename")

    # 5. Section, tags and date changes move an article in every list.
    moved = (preview.articles / SAMPLE).read_text("utf-8")
    before = preview.save(SAMPLE, with_meta(moved, Category="Xây dựng Đảng", Tags="chỉnh đốn Đảng",
                                            Date="2023-12-21 07:30"))  # fmt: skip
    preview.changed(before, "the moved article")
    assert preview.get(sample_url).status_code == 404
    assert "/xay-dung-dang/2023/12/21/" in preview.page("/xay-dung-dang/")

    # 6. The same title, section and day again: told apart by -2 (plugins/distinct_urls); when
    #    the first one goes, the second takes the plain URL.
    twin = with_meta(new, Category="Kinh tế", Summary="Bản thứ hai của hội nghị.")
    before = preview.save("kinh-te/2023-12-20-zz-hoi-nghi-moi.md", twin)
    preview.changed(before, "the twin")
    twin_url = new_url.replace(".html", "-2.html")
    assert "Bản thứ hai của hội nghị." in preview.page(twin_url)
    assert "cải cách hành chính năm 2024" in preview.page(new_url)
    before = preview.state()["generation"]
    (preview.articles / "kinh-te/2023-12-20-hoi-nghi-moi.md").unlink()
    preview.changed(before, "the first twin's deletion")
    assert "Bản thứ hai của hội nghị." in preview.page(new_url)
    assert preview.get(twin_url).status_code == 404

    # The whole served site equals a clean build of the same content.
    state = preview.wait(lambda s: not s["errors"], "a settled preview")
    built = tmp_path / "built"
    clean_build(preview.content, built)
    pages = {str(p.relative_to(built)) for p in built.rglob("*.html")}
    served = {name for name in state["pages"] if name.endswith(".html")}
    assert served == pages
    # (the search page's SSI echo filled in, without a query, as every server of the site does)
    different = [name for name in sorted(pages) if preview.page("/" + name)
                 != fill_search_query((built / name).read_bytes(), b"").decode()]  # fmt: skip
    assert different == []
    assert all("_preview" not in (built / name).read_text("utf-8") for name in pages)
    # The counter's manifest too: the same pages counted, the same quiet ones (404, search, drafts).
    manifest = "hitcount-pages.json"
    assert json.loads((tmp_path / "site" / manifest).read_text()) == json.loads((built / manifest).read_text())


def test_a_broken_file_keeps_the_last_good_site_and_shows_the_error(preview):
    statuses: list[int] = []
    stop = threading.Event()
    seed_url = url_of(preview, SEED)

    def poll() -> None:  # a reader (and an editor's open tab) during every rebuild
        with httpx.Client(base_url=preview.base, timeout=30) as http:
            while not stop.is_set():
                for path in ("/", seed_url, "/thong-bao/"):
                    statuses.append(http.get(path).status_code)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        sample = (preview.articles / SAMPLE).read_text("utf-8")
        for i in range(3):  # structural rebuilds: new articles
            before = preview.save(f"kinh-te/2023-12-0{i + 1}-them.md",
                                  with_meta(sample, Title=f"Bài thêm số {i + 1}", Category="Kinh tế",
                                            Date=f"2024-01-0{i + 1} 08:00"))  # fmt: skip
            preview.changed(before, f"new article {i + 1}")
        broken = with_meta(sample, Category="Chuyên mục không có", Title="Bài lỗi")
        preview.save("kinh-te/bai-loi.md", broken)
        state = preview.wait(lambda s: s["errors"], "the error")
        assert any("bai-loi.md:3" in e and "E-CATEGORY-UNKNOWN" in e for e in state["errors"]), state
        home = preview.get("/")
        assert home.status_code == 200
        assert 'class="preview-error" role="alert"' in home.text and "bai-loi.md:3" in home.text
        assert "bai-them-so-3.html" in home.text  # the last good version, still served
        before = preview.save("kinh-te/bai-loi.md", with_meta(broken, Category="Kinh tế"))
        preview.wait(lambda s: s["generation"] > before and not s["errors"], "the fix")
        assert "preview-error" not in preview.get("/").text
    finally:
        stop.set()
        poller.join()
    assert len(statuses) > 30 and set(statuses) == {200}, sorted(set(statuses))
    log = preview.log.read_text("utf-8")
    assert "bai-loi.md:3: lỗi [E-CATEGORY-UNKNOWN]" in log and "CÓ LỖI" in log


def test_a_rebuild_keeps_no_earlier_rebuild_alive(tmp_path):
    """Pelican memoizes get_content and get_summary per object for the life of the process,
    and the feeds ask for them at every rebuild: each rebuild's articles, and with them its
    whole context, stayed in memory (the heap grew, each garbage collection took longer)."""
    from pelican.contents import Article

    from preview.engine import PreviewBuild

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    with isolated_signals():  # only this Pelican's plugins, and none left connected after
        build = PreviewBuild(ROOT / "pelicanconf.py", content, tmp_path / "site")
        build.rebuild()
        contents = build.contents().values()
        published = [c for c in contents if isinstance(c, Article) and c.status == "published"]
        in_the_feeds = weakref.ref(max(published, key=lambda a: a.date))
        del contents, published
        build.rebuild()
        gc.collect()
        assert in_the_feeds() is None


@pytest.mark.browser
def test_an_open_tab_reloads_when_its_page_changes(preview):
    require_executable(CHROMIUM, "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    url = preview.base + url_of(preview, SAMPLE)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        violations, errors = [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.add_init_script("document.addEventListener('securitypolicyviolation',"
                             " e => (window.__csp = window.__csp || []).push(e.violatedDirective))")  # fmt: skip
        page.goto(url)
        page.wait_for_function("() => document.querySelector('script[src=\"/_preview/live.js\"]')")
        page.wait_for_timeout(300)  # the event stream is open
        sample = (preview.articles / SAMPLE).read_text("utf-8")
        preview.save(SAMPLE, sample.replace("ngày 15 hằng tháng", "ngày 17 hằng tháng"))
        page.wait_for_function("() => document.body.innerText.includes('ngày 17 hằng tháng')", timeout=20000)
        violations = page.evaluate("window.__csp || []")
        browser.close()
    assert violations == [] and errors == []


def test_a_busy_port_stops_serve_with_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "preview", "--port", str(port), "--content", str(tmp_path)],
            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"Cổng {port} đang được một chương trình khác dùng" in result.stderr
    assert f"PORT={port + 1}" in result.stderr


def test_file_lists_answer_as_pelicans_walk_while_folders_change(tmp_path, monkeypatch):
    """FileLists (the preview's remembered get_files) gives Pelican's answer after each
    addition, removal, rename and new folder, old folders' listings kept, new ones re-read."""
    from pelican.generators import Generator
    from pelican.settings import read_settings

    from preview.engine import FileLists

    content = tmp_path / "content"
    for folder in ("a", "a/b", "skip", "a/.hidden", "c"):
        (content / folder).mkdir(parents=True)
    for name in ("a/1.md", "a/b/2.md", "a/b/3.txt", "skip/4.md", "a/.hidden/5.md", "c/6.md", "7.md"):
        (content / name).write_text("x")
    (content / "link").symlink_to(content / "c")  # followed, as os.walk(followlinks=True)
    settings = read_settings(override={"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out")})
    generator = Generator(context={}, settings=settings, path=str(content), theme=settings["THEME"],
                          output_path=str(tmp_path / "out"))  # fmt: skip
    lists = FileLists()
    asks = [(["a", "c", "link", "7.md", "none"], ["skip"], None), ([""], ["skip"], ["md"]), ("", None, False)]

    reads: list[str] = []
    real_scandir = os.scandir

    def counted_scandir(path):
        reads.append(path)
        return real_scandir(path)

    def same_as_pelican() -> None:
        for paths, exclude, extensions in asks:
            expected = Generator.get_files(generator, paths, exclude, extensions)
            with monkeypatch.context() as patch:
                patch.setattr(os, "scandir", counted_scandir)  # what FileLists reads, not Pelican
                assert lists.get_files(generator, paths, exclude, extensions) == expected
                assert lists.get_files(generator, paths, exclude, extensions) == expected  # from memory

    old = time.time() - 60
    def age() -> None:  # every folder changed a minute ago: listings are kept
        for folder, _, _ in os.walk(content):
            os.utime(folder, (old, old))

    same_as_pelican()  # every folder just made: racy, listed again each time
    age()
    same_as_pelican()
    reads.clear()
    same_as_pelican()
    assert reads == []  # nothing changed: no folder read again
    (content / "a/b/8.md").write_text("x")
    (content / "a/1.md").rename(content / "a/9.md")
    (content / "c/6.md").unlink()
    (content / "a/new").mkdir()
    (content / "a/new/10.md").write_text("x")
    same_as_pelican()
    assert {os.path.relpath(p, content) for p in reads} >= {"a", "a/b", "c", "a/new"}
    age()
    same_as_pelican()  # the changed folders read once more, then kept
    reads.clear()
    same_as_pelican()
    assert reads == []


def test_a_changed_settings_file_restarts_the_preview_which_serves_again(tmp_path):
    """A .py change (settings, a plugin) restarts the process as it was started (`python -m
    preview`), and the restarted preview builds and serves the site again."""
    settings = tmp_path / "settings.py"
    conf = str(ROOT / "pelicanconf.py")
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({conf!r}).items() if k.isupper()}})\n"
        f"THEME = {str(ROOT / 'theme')!r}\n",
        encoding="utf-8",
    )
    preview = Preview(tmp_path, settings)
    try:
        pid = preview.proc.pid
        settings.write_text(settings.read_text("utf-8") + "# changed\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        # "Xem trước: http://…" is printed when the server starts: a second time after the restart
        while preview.log.read_text("utf-8").count("Xem trước: http://") < 2:
            assert time.monotonic() < deadline, preview.log.read_text("utf-8")
            time.sleep(0.1)
        preview.wait(lambda s: s["version"] >= 1 and not s["errors"], "the build after the restart", timeout=120)
        assert preview.proc.pid == pid and preview.proc.poll() is None  # the same process, re-executed
        assert preview.get("/").status_code == 200
        log = preview.log.read_text("utf-8")
        assert "khởi động lại" in log and "Traceback" not in log
    finally:
        preview.close()
