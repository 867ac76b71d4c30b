"""Each rule of `invoke check`: a file that breaks it and one that passes (shared by the tests).

CASES: key (the rule's code, "/variant" for a second case) → (breaking text, the line it
must be reported on, passing text). Errors are "E-", warnings "W-", notices "N-".
"""

from __future__ import annotations

import unicodedata

GOOD = """\
Title: Hội nghị sơ kết công tác quý III
Date: 2023-11-08 08:30
Category: Kinh tế
Tags: kinh tế, Thành ủy
Author: KT
Summary: Tóm tắt ngắn của bài.

Đoạn văn thứ nhất của bài.

Đoạn văn thứ hai.
"""


def variant(**changes: str) -> str:
    """GOOD with whole lines replaced: variant(**{"Tags: kinh tế, Thành ủy": "Tags: …"})."""
    text = GOOD
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def line(key: str) -> str:
    return next(ln for ln in GOOD.splitlines() if ln.startswith(key))


# (code, broken text, line it must be reported on, passing text)
CASES = {
    "E-META-MISSING": (variant(**{line("Summary") + "\n": ""}), 6, GOOD),
    "E-META-UNKNOWN": (variant(**{"Category: Kinh tế": "Category: Kinh tế\nCatgory: Kinh tế"}), 4,
                       variant(**{"Category: Kinh tế": "Category: Kinh tế\nModified: 2023-11-09 10:00"})),
    "E-META-DUPLICATE": (variant(**{"Author: KT": "Author: KT\nAuthor: KV"}), 6, GOOD),
    "E-CATEGORY-UNKNOWN": (variant(**{"Category: Kinh tế": "Category: Thể thao"}), 3, GOOD),
    "E-DATE-INVALID": (variant(**{"Date: 2023-11-08 08:30": "Date: 31/11/2023"}), 2,
                       variant(**{"Date: 2023-11-08 08:30": "Date: 08/11/2023 08:30"})),
    "E-MODIFIED-BEFORE-DATE": (
        variant(**{"Author: KT": "Author: KT\nModified: 2023-11-07 09:00"}), 6,
        variant(**{"Author: KT": "Author: KT\nModified: 2023-11-08 09:00"})),
    "E-STATUS-INVALID": (variant(**{"Author: KT": "Author: KT\nStatus: nháp"}), 6,
                         variant(**{"Author: KT": "Author: KT\nStatus: draft"})),
    "N-TEXT-NFC": (variant(**{"Đoạn văn thứ hai.": unicodedata.normalize("NFD", "Đoạn văn thứ hai.")}), 10, GOOD),
    "N-TEXT-INVISIBLE": (variant(**{"Hội nghị sơ kết": "Hội\u00ad nghị sơ \u200bkết", "thứ hai.": "thứ\u2060 hai\u200c."}),
                         1, GOOD),
    "E-TONE-MARK": (variant(**{"Tags: kinh tế, Thành ủy": "Tags: kinh tế, Thành uỷ"}), 4, GOOD),
    "E-IMAGE-MISSING": (variant(**{"Đoạn văn thứ hai.": "![Quang cảnh]({static}/images/khong-co.jpg)"}), 10,
                        variant(**{"Đoạn văn thứ hai.": "![Quang cảnh]({static}/images/co.png)"})),
    "E-IMAGE-ALT": (variant(**{"Đoạn văn thứ hai.": '<img src="/images/co.png" alt="">'}), 10,
                    variant(**{"Đoạn văn thứ hai.": '<img src="/images/co.png" alt="Quang cảnh">'})),
    "E-LINK-BROKEN": (variant(**{"Đoạn văn thứ hai.": "Xem [bài trước]({filename}khong-co.md)."}), 10,
                      variant(**{"Đoạn văn thứ hai.": "Xem [bài trước]({filename}khac.md)."})),
    "W-TITLE-LONG": (variant(**{line("Title"): "Title: " + "Hội nghị " * 30}), 1, GOOD),
    "W-SUMMARY-LONG": (variant(**{line("Summary"): "Summary: " + "Tóm tắt dài. " * 40}), 6, GOOD),
    "E-HTML-UNSAFE": (variant(**{"Đoạn văn thứ hai.": '<iframe src="https://quangcao.example/x"></iframe>'}), 10,
                      variant(**{"Đoạn văn thứ hai.":
                                 '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>'})),
    "W-HTML-COMMENT": (variant(**{"Đoạn văn thứ hai.": "Đoạn văn thứ hai. <!-- ghi chú của biên tập -->"}), 10, GOOD),
    "E-PLACEHOLDER": (variant(**{"Đoạn văn thứ hai.": "(Viết nội dung bài ở đây; các đoạn cách nhau một dòng trống.)"}),
                      10, GOOD),
    "E-ENCODING-LEGACY": (variant(**{"Đoạn văn thứ hai.": "Héi nghÞ B¶o Th¾ng tæng kÕt n¨m"}), 10,
                          variant(**{"Đoạn văn thứ hai.": "Giá ½ kg, © 2024, « Liberté » và hội nghị."})),
    "E-ENCODING-LEGACY/VNI": (variant(**{line("Title"): "Title: Ban Thöôøng vuï Thaønh uûy hoïp"}), 1,
                              variant(**{line("Title"): "Title: Thường vụ Thành ủy họp ở Huế"})),
}  # fmt: skip


def code_of(key: str) -> str:
    return key.split("/")[0]
