"""Synthetic Vietnamese corpus for bench/build, made from the seed article's text.

Article i is a pure function of (SEED, i): the 1,000-article corpus is the first
1,000 articles of the 5,000-article one, so a bigger N only adds articles of the
same kind. Dates always span the same years and the tag pool is fixed, so the
number of sections, tags, authors and archive months does not grow with N:
only the articles (and the pages listing them) do.

Every article has valid metadata (Title, Date, Category from SECTIONS, Tags,
Author, Summary) so the project's build passes `--fatal warnings`.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "tests" / "fixtures" / "legacy" / "000_4761ca7e1ca08aac.txt"  # the seed page
SEED = 20231108
VERSION = 1  # bump when the generated text changes: a stale corpus is regenerated

# ~60 tags: a few broad ones (used often) and a long tail, as on a real portal.
TAGS = [
    "Thành ủy Quảng Ngãi", "Thường trực Thành ủy", "UBND thành phố", "HĐND thành phố",
    "cán bộ công chức viên chức", "đối thoại", "tiếp công dân", "chuyển đổi số",
    "cải cách hành chính", "xây dựng Đảng", "công tác cán bộ", "kiểm tra giám sát",
    "dân vận", "Mặt trận Tổ quốc", "đoàn thanh niên", "hội phụ nữ", "hội nông dân",
    "cựu chiến binh", "công đoàn", "giáo dục", "y tế", "văn hóa", "thể thao", "du lịch",
    "nông thôn mới", "đô thị văn minh", "giao thông", "xây dựng cơ bản", "đầu tư công",
    "thu ngân sách", "doanh nghiệp", "kinh tế tư nhân", "nông nghiệp", "thủy sản",
    "môi trường", "phòng chống thiên tai", "phòng cháy chữa cháy", "quốc phòng",
    "an ninh trật tự", "quân sự địa phương", "biên phòng", "an sinh xã hội",
    "người có công", "giảm nghèo", "bảo hiểm xã hội", "lao động việc làm",
    "khoa học công nghệ", "tư pháp", "phòng chống tham nhũng", "thi đua khen thưởng",
    "đại hội Đảng", "Nghị quyết 57-NQ/TW", "học tập và làm theo Bác", "lịch làm việc",
    "hội nghị", "sơ kết", "tổng kết", "xã phường", "phường Trần Phú", "xã Tịnh Ấn Tây",
    "Đảng bộ thành phố",
]  # fmt: skip

AUTHORS = ["KV", "VP", "Minh Anh", "Thanh Hà", "Quốc Việt", "Văn phòng Thành ủy", "Đức Trí"]

# Title parts taken from the seed's own wording.
SUBJECTS = [
    "Bí thư Thành ủy Quảng Ngãi", "Thường trực Thành ủy Quảng Ngãi", "UBND thành phố",
    "Văn phòng Thành ủy", "Sở Nội vụ", "Các phòng, ban chuyên môn", "Các xã, phường",
    "Ban Thường vụ Thành ủy", "Đảng bộ thành phố",
]  # fmt: skip
ACTIONS = [
    "gặp gỡ, tiếp xúc đối thoại với cán bộ, viên chức, công chức",
    "nâng cao chất lượng và hiệu quả giải quyết công việc",
    "lắng nghe tâm tư, nguyện vọng của cán bộ, công chức",
    "rà soát hiện trạng cơ sở vật chất phục vụ chuyển đổi số",
    "tăng cường công tác phối hợp trong thực hiện nhiệm vụ",
    "khen thưởng biểu dương cán bộ có cách làm hay, sáng tạo",
    "đào tạo, bồi dưỡng cán bộ trẻ",
    "tổng hợp kiến nghị và thông báo kết luận",
    "tháo gỡ vướng mắc, tránh tình trạng đùn đẩy, né tránh",
    "bảo vệ cán bộ dám nghĩ, dám làm vì lợi ích chung",
]  # fmt: skip
PLACES = [
    "trên địa bàn thành phố", "tại TP. Quảng Ngãi", "tại các xã, phường",
    "ở thôn, tổ dân phố", "tại trụ sở Thành ủy", "năm 2024", "quý III", "đợt 2",
]  # fmt: skip
HEADINGS = ["Ý kiến tại buổi đối thoại", "Kết luận của Bí thư Thành ủy", "Nhiệm vụ thời gian tới"]


def seed_paragraphs(path: Path = SEED_FILE) -> tuple[str, list[str]]:
    """(title, body paragraphs) of the seed: the lines between the title and the signature."""
    lines = [unicodedata.normalize("NFC", x).strip() for x in path.read_text("utf-8").splitlines()]
    lines = [x for x in lines if x]
    # line 0: section, line 1: title, then paragraphs until the signature line ("KV").
    title = re.sub(r"\s*\(\s*\d{2}/\d{2}/\d{4}\)\s*$", "", lines[1])
    end = next(i for i, x in enumerate(lines) if i > 1 and len(x) < 12)
    return title, lines[2:end]


def sections_from_settings() -> list[tuple[str, str]]:
    """pelicanconf.SECTIONS, the one definition of the sections, in menu order."""
    settings = ROOT / "pelicanconf.py"
    namespace: dict = {"__file__": str(settings)}
    exec(compile(settings.read_text("utf-8"), str(settings), "exec"), namespace)
    return [(name, slug) for name, slug in namespace["SECTIONS"]]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?…])(\s|$)", text)
    return (match.group(1) if match else text).strip()


def article_text(i: int, sections: list[tuple[str, str]], paragraphs: list[str]) -> tuple[str, str]:
    """(relative path, Markdown source) of synthetic article i."""
    rng = random.Random(f"{SEED}:{i}")
    # The first articles cover every section; then a seeded choice.
    section, section_slug = sections[i] if i < len(sections) else rng.choice(sections)
    title = (
        f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)} (tin số {i + 1})"
    )
    start = datetime(2019, 1, 1, 7, 0)
    date = start + timedelta(days=rng.randrange(6 * 365), minutes=15 * rng.randrange(40))
    # Zipf-like choice: broad tags often, the long tail sometimes.
    tags: list[str] = []
    tag_count = rng.randint(2, 5)
    while len(tags) < tag_count:
        tag = TAGS[min(int(rng.paretovariate(0.9)) - 1, len(TAGS) - 1) if rng.random() < 0.5
                   else rng.randrange(len(TAGS))]  # fmt: skip
        if tag not in tags:
            tags.append(tag)
    body = paragraphs[:]
    rng.shuffle(body)
    body = body[: rng.randint(5, len(body))]
    if rng.random() < 0.4:
        body.insert(rng.randint(2, len(body) - 1), "## " + rng.choice(HEADINGS))
    if rng.random() < 0.2:
        body.append("> “Khi tâm sáng, một lòng vì lợi ích của nhân dân thì những hiến kế sẽ được triển khai.”")
    summary = _first_sentence(body[0])
    meta = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {section}",
        f"Tags: {', '.join(tags)}",
        f"Author: {rng.choice(AUTHORS)}",
        f"Summary: {summary}",
    ]
    if i % 97 == 0:
        meta.append("Featured: true")
    rel = f"articles/{section_slug}/{date:%Y-%m-%d}-{i:05d}.md"
    return rel, "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def write_corpus(dest: Path, n: int, force: bool = False) -> Path:
    """Write N articles plus the site's pages, extra and images into dest/content.

    Returns the content directory. Reuses an existing corpus with the same stamp.
    """
    content = dest / "content"
    stamp = {"version": VERSION, "seed": SEED, "n": n, "seed_file": SEED_FILE.name}
    stamp_file = dest / "corpus.json"
    if not force and stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        return content
    shutil.rmtree(dest, ignore_errors=True)
    content.mkdir(parents=True)
    _title, paragraphs = seed_paragraphs()
    sections = sections_from_settings()
    for i in range(n):
        rel, text = article_text(i, sections, paragraphs)
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for sub in ("pages", "extra", "images"):
        src = ROOT / "content" / sub
        if src.is_dir():
            shutil.copytree(src, content / sub)
    stamp_file.write_text(json.dumps(stamp))
    return content


if __name__ == "__main__":  # preview one article: python bench/corpus.py [i]
    import sys

    idx = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    print(article_text(idx, sections_from_settings(), seed_paragraphs()[1])[1])
