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
    "N-TEXT-INVISIBLE": (variant(**{"Hội nghị sơ kết": "Hội\u00ad nghị sơ \u200bkết",
                                    "thứ hai.": "thứ\u2060 hai\u200c."}), 1, GOOD),
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


# --- Documents (plugins/documents/rules.py) ------------------------------------------------
# A document of content/van-ban/ that passes every rule, in a content folder that also holds
# van-ban/tep/co.pdf (a PDF), images/co.png, articles/kinh-te/khac.md and the document
# DOCUMENT_OTHER as van-ban/00-co-san.md (documents_content() in tests/test_documents_rules.py).
DOCUMENT_GOOD = """\
Title: Về tăng cường công tác kiểm tra, giám sát của Đảng
Number: 07-CT/TU
Type: Chỉ thị
Issuer: Ban Thường vụ Thành ủy Quảng Ngãi
Date: 2024-05-20
Signer: Nguyễn Văn A
File: van-ban/tep/co.pdf
Related: kinh-te/khac.md

Ghi chú của văn bản.
"""
DOCUMENT_OTHER = DOCUMENT_GOOD.replace("07-CT/TU", "01-NQ/TU").replace("Type: Chỉ thị", "Type: Nghị quyết")


def document_variant(**changes: str) -> str:
    text = DOCUMENT_GOOD
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# (broken text, the line it must be reported on, passing text), as CASES above.
DOCUMENT_CASES = {
    "E-DOC-NUMBER": (document_variant(**{"Number: 07-CT/TU": "Number: 07 CT/TU"}), 2,
                     document_variant(**{"Number: 07-CT/TU": "Number: 123/QĐ-UBND"})),
    "E-DOC-NUMBER/missing": (document_variant(**{"Number: 07-CT/TU\n": ""}), 8, DOCUMENT_GOOD),
    "E-DOC-NUMBER/lower-case": (document_variant(**{"Number: 07-CT/TU": "Number: 07-ct/tu"}), 2,
                                document_variant(**{"Number: 07-CT/TU": "Number: 42/2022/NĐ-CP"})),
    "E-DOC-TYPE": (document_variant(**{"Type: Chỉ thị": "Type: Nghị định"}), 3,
                   document_variant(**{"Type: Chỉ thị": "Type: chỉ thị"})),
    "E-DOC-DATE": (document_variant(**{"Date: 2024-05-20": "Date: 31/02/2024"}), 5,
                   document_variant(**{"Date: 2024-05-20": "Date: 20/05/2024"})),
    "E-DOC-DATE/future": (document_variant(**{"Date: 2024-05-20": "Date: 2099-01-01"}), 5, DOCUMENT_GOOD),
    "E-DOC-FILE": (document_variant(**{"File: van-ban/tep/co.pdf": "File: van-ban/tep/khong-co.pdf"}), 7,
                   document_variant(**{"File: van-ban/tep/co.pdf": "File: /van-ban/tep/co.pdf"})),
    "E-DOC-FILE/not-a-pdf": (document_variant(**{"File: van-ban/tep/co.pdf": "File: images/co.png"}), 7,
                             DOCUMENT_GOOD),
    "E-DOC-RELATED": (document_variant(**{"Related: kinh-te/khac.md": "Related: kinh-te/khong-co.md"}), 8,
                      document_variant(**{"Related: kinh-te/khac.md": "Related: articles/kinh-te/khac.md"})),
    "E-DOC-DUPLICATE": (document_variant(**{"Number: 07-CT/TU": "Number: 01-NQ/TU",
                                            "Type: Chỉ thị": "Type: Nghị quyết"}), 2,
                        document_variant(**{"Number: 07-CT/TU": "Number: 01-NQ/TU", "Type: Chỉ thị": "Type: Nghị quyết",
                                             "Date: 2024-05-20": "Date: 2023-05-20"})),
}  # fmt: skip
