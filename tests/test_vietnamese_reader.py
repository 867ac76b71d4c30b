"""NFC on read: an article saved in NFD builds byte-identical HTML."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from tasks import DEV_SETTINGS, ROOT
from tests.site import run_build

SEED = "articles/chinh-tri-xa-hoi/2023-11-08-bi-thu-thanh-uy-doi-thoai-can-bo.md"


@pytest.mark.slow
def test_nfd_copy_builds_identical_html(tmp_path):
    outputs = {}
    for form in ("NFC", "NFD"):
        content = tmp_path / form / "content"
        shutil.copytree(ROOT / "content", content)
        source = content / SEED
        source.write_text(unicodedata.normalize(form, source.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_build(DEV_SETTINGS, tmp_path / form / "out", content)
        assert result.returncode == 0, result.log
        outputs[form] = tmp_path / form / "out"

    nfd_source = (tmp_path / "NFD" / "content" / SEED).read_text(encoding="utf-8")
    assert nfd_source != unicodedata.normalize("NFC", nfd_source), "the copy really is NFD"
    files = sorted(p.relative_to(outputs["NFC"]) for p in outputs["NFC"].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(outputs["NFD"]) for p in outputs["NFD"].rglob("*") if p.is_file())
    for rel in files:
        assert (outputs["NFC"] / rel).read_bytes() == (outputs["NFD"] / rel).read_bytes(), rel
