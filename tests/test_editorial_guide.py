"""The editors' guide (docs/huong-dan-bien-tap.md) works as printed, from a fresh clone.

Every ```sh block of the guide runs, in the guide's order, in a fresh clone of the repository
(the working tree as it is now, committed into a scratch repository and cloned from a bare copy of
it, so that `git pull` and `git push` have a remote), with no `invoke` on PATH and a HOME of its
own (`git config --global` writes there). Each command line runs as printed, through bash.

Markers in the fence info (GitHub does not show them):

- ```sh {không-chạy-thử}: not run here; these commands must be exactly NOT_RUN below;
- ```sh {mã-thoát=2}: each command must fail with that exit status; otherwise it must succeed;
- ```sh {sau-khi=NAME}: before the block the editor did something by hand, which EDITOR_STEPS[NAME]
  does here (copy the photos in, paste text from Word, approve the article, save old pages…);
- ```text right after a ```sh block: what the screen shows. Each line must be a line of the block's
  output, in order. Only what differs from run to run is a wildcard: dates and times (`make new`
  uses today), Makefile line numbers, file counts ("N tệp"), seconds, the numbers of the build's
  "Xong:" line, and "…";
- ```markdown {tệp-mới}: the file `make new` has just created, line by line (same wildcards);
- ```markdown {bài-mẫu}: the example article, which the editor pastes into that file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import IN_CI

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "huong-dan-bien-tap.md"
SKIP = {".git", ".venv", "output", ".cache", "var", "node_modules", ".pytest_cache", "__pycache__",
        ".work"}  # fmt: skip

# The only commands the guide may keep out of this test, and why.
NOT_RUN = [
    "git clone ĐỊA-CHỈ-KHO thanhuy",  # the address is the editor's to copy from GitHub
    "cd thanhuy",  # the folder that clone makes; here every command runs in the clone already
    "make serve",  # a server that runs until Ctrl+C (tests/test_preview.py drives it)
    "make serve PORT=8080",
]


# --- reading the guide ---------------------------------------------------------------------------


@dataclass
class Block:
    lang: str
    flags: dict[str, str | bool]
    body: str
    line: int  # of the opening fence, 1-based
    commands: list[str] = field(default_factory=list)


FENCE = re.compile(r"^(`{3,})(.*)$")
INFO = re.compile(r"^\s*([\w-]*)\s*(?:\{([^}]*)\})?\s*$")


def parse_guide(text: str) -> list[Block]:
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        fence, info = opened.groups()
        parsed = INFO.match(info)
        assert parsed, f"line {i + 1}: fence info “{info}” is not “lang {{marker …}}”"
        lang, markers = parsed.groups()
        flags: dict[str, str | bool] = {}
        for token in (markers or "").split():
            name, _, value = token.partition("=")
            flags[name] = value or True
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), None)
        assert end is not None, f"line {i + 1}: fence not closed"
        block = Block(lang, flags, "\n".join(lines[i + 1 : end]), i + 1)
        if lang == "sh":
            block.commands = commands(block.body)
        blocks.append(block)
        i = end + 1
    return blocks


def commands(body: str) -> list[str]:
    """Command lines as a shell reads them: comments and blank lines skipped, `\\` joins lines."""
    found, pending = [], ""
    for line in body.split("\n"):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        found.append((pending + line).strip())
        pending = ""
    return found


@pytest.fixture(scope="module")
def guide() -> list[Block]:
    return parse_guide(GUIDE.read_text(encoding="utf-8"))


# --- what the screen shows -----------------------------------------------------------------------

WILDCARDS = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})|(?P<time>(?<![\d:])\d{1,2}:\d{2}(?![\d:]))"
    r"|(?P<makefile>(?<=Makefile:)\d+)|(?P<files>\d+(?= tệp))"
    r"|(?P<seconds>\d+(?:[.,]\d+)?(?= giây))|(?P<ellipsis>…)"
)
WILD = {"date": r"\d{4}-\d{2}-\d{2}", "time": r"\d{1,2}:\d{2}", "makefile": r"\d+",
        "files": r"\d+", "seconds": r"\d+(?:[.,]\d+)?", "ellipsis": r".*"}  # fmt: skip


def pattern(expected: str) -> re.Pattern:
    """An expected line as a regex: literal, except for what differs from run to run."""
    if expected.startswith("Xong:"):  # the build's summary: counts of the whole site, seconds
        parts = re.split(r"(\d+(?:[.,]\d+)?|…)", expected)
        return re.compile("".join(
            (r"\d+(?:[.,]\d+)?" if p[:1].isdigit() else ".*") if i % 2 else re.escape(p)
            for i, p in enumerate(parts)
        ))  # fmt: skip
    out, last = [], 0
    for m in WILDCARDS.finditer(expected):
        out += [re.escape(expected[last : m.start()]), WILD[m.lastgroup]]
        last = m.end()
    return re.compile("".join(out) + re.escape(expected[last:]))


def assert_shows(expected: str, output: str, where: str) -> None:
    """Every non-empty expected line is a line of the output, in the same order."""
    shown = [line.rstrip() for line in output.replace("\r", "\n").split("\n")]
    at = 0
    for want in (line.rstrip() for line in expected.split("\n")):
        if not want:
            continue
        regex = pattern(want)
        found = next((i for i in range(at, len(shown)) if regex.fullmatch(shown[i])), None)
        assert found is not None, (
            f"{where}: the screen does not show (in this order)\n  {want}\n--- it shows:\n{output}"
        )
        at = found + 1


def test_wildcards_keep_what_matters():
    line = "content/articles/kinh-te/2023-11-28-hoi-nghi-lan-thu-15.md:6: cảnh báo [W-PLACEHOLDER] x"
    assert pattern(line).fullmatch(line.replace("2023-11-28", "2031-01-05"))  # make new: today
    assert not pattern(line).fullmatch(line.replace(":6:", ":7:"))  # line numbers are exact
    summary = "Tổng kết: 2 bài đã nhập (2 mới, 0 cập nhật, 0 không đổi), 0 bỏ qua, 2 vấn đề."
    assert not pattern(summary).fullmatch(summary.replace("0 bỏ qua", "2 bỏ qua"))
    checked = "Đã kiểm tra 25 tệp: 0 lỗi, 2 cảnh báo."
    assert pattern(checked).fullmatch(checked.replace("25", "31"))  # the repository grows
    assert not pattern(checked).fullmatch(checked.replace("0 lỗi", "1 lỗi"))
    built = "Xong: 19 bài, 3 trang tĩnh; 1 bản nháp, 0 bài hẹn giờ chưa đăng; 0,7 giây."
    assert pattern(built).fullmatch(built.replace("19", "20").replace("0,7", "12,5"))
    assert not pattern("Xem trước: …").fullmatch("Xem thử: x")


# --- what the editor does by hand between two commands ------------------------------------------


def _photo(path: Path) -> None:
    """A photo the editor copies in (a real JPEG: the build makes its derivatives)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 900), (150, 40, 40)).save(path, "JPEG", quality=80)


def copy_photos(repo: Path, article: Path) -> None:
    text = article.read_text(encoding="utf-8")
    for name in re.findall(r"(?:^Image:\s*|\{static\}/)(images/[^\s)\"]+)", text, re.M):
        if not (repo / "content" / name).exists():
            _photo(repo / "content" / name)


def paste_from_word(repo: Path, article: Path) -> None:
    """A paragraph with a zero-width space, in decomposed (NFD) letters, as Word and macOS give."""
    text = ("Phát biểu bế mạc, đồng chí Bí thư Thành ủy đề nghị các cấp ủy triển khai nghị quyết"
            "\u200b ngay trong tháng 12.")  # fmt: skip
    with article.open("a", encoding="utf-8") as fh:
        fh.write("\n" + unicodedata.normalize("NFD", text) + "\n")


def approve(repo: Path, article: Path) -> None:
    text = article.read_text(encoding="utf-8")
    assert "\nStatus: draft\n" in text
    article.write_text(text.replace("\nStatus: draft\n", "\n", 1), encoding="utf-8")


def save_old_pages(repo: Path, article: Path) -> None:
    """Pages saved from the old portal ("Trang web, hoàn chỉnh") into ../trang-cu/."""
    fixtures, folder = repo / "tests" / "fixtures" / "legacy", repo.parent / "trang-cu"
    folder.mkdir()
    html = (fixtures / "bo-cuc-div.html").read_text(encoding="utf-8")
    html = html.replace("bo-cuc-div_files", "dien-tap-pccc_files")
    (folder / "dien-tap-pccc.html").write_text(html, encoding="utf-8")
    shutil.copytree(fixtures / "bo-cuc-div_files", folder / "dien-tap-pccc_files")
    shutil.copyfile(fixtures / "trang-asp-cu.htm", folder / "hoi-thi-van-nghe.htm")


def edit_imported(repo: Path, article: Path) -> None:
    """The editor adds tags to the imported article about the fire drill."""
    section = repo / "content" / "articles" / "quoc-phong-an-ninh"
    (imported,) = section.glob("2023-11-15-dien-tap-*.md")
    text = imported.read_text(encoding="utf-8")
    end = re.search(r"^Author: .*$", text, re.M).end()
    imported.write_text(text[:end] + "\nTags: phòng cháy chữa cháy, diễn tập" + text[end:], "utf-8")


def copy_document_pdf(repo: Path, article: Path) -> None:
    """The editor copies the document's PDF where its File: line says (section 15)."""
    from documents.pdf import minimal_pdf

    for document in (repo / "content" / "van-ban").glob("12-tb-vptu-*.md"):
        name = re.search(r"^File: (\S+)$", document.read_text(encoding="utf-8"), re.M).group(1)
        (repo / "content" / name).write_bytes(minimal_pdf("Thông báo 12-TB/VPTU", ["Lịch tiếp công dân."]))


EDITOR_STEPS = {
    "chép-ảnh": copy_photos,
    "chép-pdf": copy_document_pdf,
    "chép-từ-word": paste_from_word,
    "duyệt": approve,
    "lưu-trang-cũ": save_old_pages,
    "sửa-bài-đã-nhập": edit_imported,
}


# --- the guide's own shape (fast) ---------------------------------------------------------------


def test_only_the_listed_commands_are_not_run(guide):
    blocks = [b for b in guide if b.lang == "sh" and b.flags.get("không-chạy-thử")]
    assert [c for b in blocks for c in b.commands] == NOT_RUN


def test_markers_are_known(guide):
    known = {"sh": {"không-chạy-thử", "mã-thoát", "sau-khi"}, "markdown": {"tệp-mới", "bài-mẫu"}}
    for block in guide:
        unknown = set(block.flags) - known.get(block.lang, set())
        assert not unknown, f"line {block.line}: unknown marker {unknown}"
    assert {b.flags["sau-khi"] for b in guide if "sau-khi" in b.flags} == set(EDITOR_STEPS)
    marked = [b.flags for b in guide if b.lang == "markdown" and b.flags]
    assert marked == [{"tệp-mới": True}, {"bài-mẫu": True}]


def test_output_blocks_follow_a_command(guide):
    for before, block in zip(guide, guide[1:]):
        if block.lang == "text":
            assert before.lang == "sh", f"line {block.line}: ```text must follow its ```sh block"


def test_every_command_is_make_or_git(guide):
    """Nothing needs `invoke` (or anything else) on PATH: the editor types make and git."""
    for block in guide:
        for command in block.commands:
            ok = command.split()[0] in {"make", "git"} or command in NOT_RUN
            assert ok, f"line {block.line}: {command}"


def test_make_commands_in_the_text_exist():
    """`make …` written in the prose and tables: real targets, variables the Makefile reads."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = {t for line in re.findall(r"^([\w .-]+):(?!=)", makefile, re.M) for t in line.split()}
    variables = set(re.findall(r"\$\((\w+)\)", makefile))
    text = GUIDE.read_text(encoding="utf-8")
    spans = re.findall(r"`(make(?: [^`]*)?)`", text)
    assert len(spans) > 20
    for span in spans:
        words = span.split()
        if len(words) > 1 and words[1] != "…":  # `make …`: any command
            assert words[1] in targets, f"no target {words[1]}: `{span}`"
        for name in re.findall(r"\b([A-Z]+)=", span):
            assert name in variables, f"the Makefile reads no {name}: `{span}`"


def test_every_check_code_is_explained_and_no_other():
    """The table of section 13 lists exactly the codes the checker has."""
    code = re.compile(r"\b([EWN]-[A-Z]+(?:-[A-Z]+)*)\b")
    in_source = set()
    for source in [*(ROOT / "plugins" / "editorial").glob("*.py"), ROOT / "plugins" / "documents" / "rules.py"]:
        text = source.read_text(encoding="utf-8")
        in_source |= set(re.findall(r"[\"']([EWN]-[A-Z]+(?:-[A-Z]+)*)[\"']", text))
    text = GUIDE.read_text(encoding="utf-8")
    rows = [line for line in text[text.index("## 13.") : text.index("## 14.")].split("\n") if line.startswith("| `")]
    listed = [code.search(row.split("|")[1]).group(1) for row in rows]
    assert sorted(listed) == sorted(in_source), "the guide's table and the checker's codes differ"
    assert len(listed) == len(set(listed))
    assert set(code.findall(text)) <= in_source, "the guide names a code the checker does not have"


def test_every_metadata_key_is_explained():
    from editorial.config import DEFAULTS

    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("| khóa |") :].split("\n\n")[0]
    for key in DEFAULTS["EDITORIAL_KNOWN_METADATA"]:
        assert f"`{key}`" in table, f"the guide's table of keys has no {key}"


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_resolve():
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {github_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("{"):
            continue
        path, _, anchor = target.partition("#")
        if path:
            assert (GUIDE.parent / path).exists(), f"link to a missing file: {target}"
        else:
            assert anchor in anchors, f"link to a missing heading: {target}"


# --- running it ----------------------------------------------------------------------------------


def editor_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    path = os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and ".venv" not in d and not (Path(d) / "invoke").exists()
    )  # fmt: skip
    prefixes = ("GIT_", "VIRTUAL_ENV", "PYTHON", "MAKE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    # PYTHONUNBUFFERED: lines come in the order a terminal shows them (the check, then the build)
    env.update(HOME=str(home), PATH=path, LC_ALL="C.UTF-8", GIT_CONFIG_NOSYSTEM="1",
               PYTHONUNBUFFERED="1")  # fmt: skip
    assert shutil.which("invoke", path=path) is None
    return env


def fresh_clone(tmp_path: Path, env: dict[str, str]) -> Path:
    """The working tree as it is (uncommitted work included), as a clone with an origin."""
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed")
    src, origin, repo = tmp_path / "src", tmp_path / "origin.git", tmp_path / "repo"
    shutil.copytree(ROOT, src, ignore=lambda _d, names: [n for n in names if n in SKIP],
                    copy_function=shutil.copy2)  # fmt: skip
    who = {**env, "GIT_AUTHOR_NAME": "snapshot", "GIT_AUTHOR_EMAIL": "snapshot@example.com",
           "GIT_COMMITTER_NAME": "snapshot", "GIT_COMMITTER_EMAIL": "snapshot@example.com"}  # fmt: skip
    for argv, cwd in (
        (["init", "-q", "-b", "main"], src),
        (["add", "-A"], src),
        (["-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot"], src),
        (["clone", "-q", "--bare", str(src), str(origin)], tmp_path),
        (["clone", "-q", str(origin), str(repo)], tmp_path),
    ):
        subprocess.run(["git", *argv], cwd=cwd, env=who, check=True, capture_output=True)
    # The project's virtualenv, seen as installed: what its stamp depends on (Makefile) keeps its
    # time, older than the stamp (a clone's new mtimes would make make reinstall into the shared
    # virtualenv).
    (repo / ".venv").symlink_to(ROOT / ".venv")
    for name in ("requirements.lock", "pyproject.toml", "plugins"):
        kept = (ROOT / name).stat()
        os.utime(repo / name, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    installed = subprocess.run(["make", "-q", ".venv/.installed"], cwd=repo, env=env,
                               capture_output=True)  # fmt: skip
    if installed.returncode:  # a laptop whose .venv is older than the lock; never under CI
        message = "the virtualenv is older than requirements.lock, pyproject.toml or plugins/: run make once"
        (pytest.fail if IN_CI else pytest.skip)(message)
    return repo


def run(command: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=repo, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=180)  # fmt: skip


@pytest.mark.slow
def test_the_guide_works_as_printed(guide, tmp_path):
    env = editor_env(tmp_path)
    repo = fresh_clone(tmp_path, env)
    article: Path | None = None  # the file `make new` printed
    output: str | None = None  # what the last sh block printed (None: it was not run)
    for block in guide:
        where = f"{GUIDE.name}:{block.line}"
        if block.lang == "sh":
            if block.flags.get("sau-khi"):
                EDITOR_STEPS[block.flags["sau-khi"]](repo, article)
            if block.flags.get("không-chạy-thử"):
                output = None
                continue
            status, output = int(block.flags.get("mã-thoát", 0)), ""
            for command in block.commands:
                done = run(command, repo, env)
                assert done.returncode == status, (
                    f"{where}: `{command}` exited with {done.returncode}, the guide implies "
                    f"{status}\n{done.stdout}"
                )
                output += done.stdout
                if command.startswith("make new ") and status == 0:  # not make new-document
                    made = re.search(r"^(content/articles/\S+\.md)$", done.stdout, re.M)
                    assert made, f"{where}: make new printed no file\n{done.stdout}"
                    article = repo / made.group(1)
        elif block.lang == "text" and output is not None:
            assert_shows(block.body, output, where)
        elif block.flags.get("tệp-mới"):
            written = article.read_text(encoding="utf-8").rstrip("\n").split("\n")
            shown = block.body.rstrip("\n").split("\n")
            assert len(written) == len(shown), f"{where}: make new wrote\n" + "\n".join(written)
            for want, line in zip(shown, written):
                assert pattern(want).fullmatch(line), f"{where}: make new wrote “{line}”, not “{want}”"
        elif block.flags.get("bài-mẫu"):
            article.write_text(block.body + "\n", encoding="utf-8")
    # The walk went all the way: the article was approved, published and pushed to the remote.
    assert article is not None and "Status: draft" not in article.read_text(encoding="utf-8")
    pushed = subprocess.run(["git", "log", "-1", "--name-only", "origin/main"], cwd=repo, env=env,
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert str(article.relative_to(repo)) in pushed
