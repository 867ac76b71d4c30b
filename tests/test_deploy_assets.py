"""plugins/assets: content-hashed copies of theme CSS/JS/fonts and the |asset filter."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from assets import Assets
from tasks import PUBLISH_SETTINGS


@pytest.fixture
def theme(tmp_path):
    static = tmp_path / "theme" / "static"
    (static / "css").mkdir(parents=True)
    (static / "fonts").mkdir()
    (static / "img").mkdir()
    (static / "js").mkdir()
    (static / "fonts" / "be-vietnam-pro.woff2").write_bytes(b"wOF2 font bytes")
    (static / "img" / "logo.png").write_bytes(b"\x89PNG")
    (static / "js" / "site.js").write_text("console.log('x');\n")
    (static / "css" / "main.css").write_text(
        "@font-face{font-family:B;src:url(../fonts/be-vietnam-pro.woff2) format('woff2'),"
        "url('../fonts/be-vietnam-pro.woff2?v=1#x')}\n"
        ".logo{background:url(\"../img/logo.png\")}\n"
        ".dot{background:url(data:image/png;base64,AAAA)}\n"
        ".abs{background:url(/theme/img/logo.png)}\n"
    )
    extra = tmp_path / "plugin-static" / "js"
    extra.mkdir(parents=True)
    (extra / "widget.js").write_text("/* widget */\n")
    return tmp_path


def settings_for(root, **over):
    return {
        "THEME": str(root / "theme"),
        "THEME_STATIC_PATHS": ["static", str(root / "plugin-static")],
        "THEME_STATIC_DIR": "theme",
        "SITEURL": "https://thanhuy.example",
        "IGNORE_FILES": [".#*"],
        **over,
    }


def test_names_carry_a_hash_of_the_content(theme):
    assets = Assets()
    table = assets.build(settings_for(theme))
    assert set(table) == {"css/main.css", "fonts/be-vietnam-pro.woff2", "js/site.js", "js/widget.js"}
    font = table["fonts/be-vietnam-pro.woff2"]
    digest = hashlib.sha256(b"wOF2 font bytes").hexdigest()[:8]
    assert font == f"fonts/be-vietnam-pro.{digest}.woff2"
    assert "img/logo.png" not in table  # images keep their names


def test_css_urls_point_at_hashed_fonts_and_still_resolve(theme):
    assets = Assets()
    table = assets.build(settings_for(theme))
    css = assets.payload[table["css/main.css"]].decode()
    font = table["fonts/be-vietnam-pro.woff2"].split("/", 1)[1]
    assert f"url(../fonts/{font})" in css
    assert f"url('../fonts/{font}?v=1#x')" in css
    assert 'url("../img/logo.png")' in css  # not fingerprinted: unchanged, and beside it
    assert "url(data:image/png;base64,AAAA)" in css and "url(/theme/img/logo.png)" in css
    # The stylesheet's own hash covers the rewritten bytes.
    assert table["css/main.css"].split(".")[1] == hashlib.sha256(css.encode()).hexdigest()[:8]


def test_filter_gives_absolute_fingerprinted_urls(theme):
    assets = Assets()
    settings = settings_for(theme)
    assets.reset(settings)
    url = assets.url("css/main.css")
    assert re.fullmatch(r"https://thanhuy\.example/theme/css/main\.[0-9a-f]{8}\.css", url)
    assert assets.url("js/widget.js").startswith("https://thanhuy.example/theme/js/widget.")
    assert assets.url("favicon.svg") == "https://thanhuy.example/theme/favicon.svg"
    dev = Assets()
    dev.reset(settings_for(theme, SITEURL=""))
    assert dev.url("/js/site.js").startswith("/theme/js/site.")


def test_a_changed_file_gets_a_new_name_and_so_does_its_stylesheet(theme):
    before = Assets().build(settings_for(theme))
    (theme / "theme" / "static" / "fonts" / "be-vietnam-pro.woff2").write_bytes(b"new font")
    after = Assets().build(settings_for(theme))
    assert before["fonts/be-vietnam-pro.woff2"] != after["fonts/be-vietnam-pro.woff2"]
    assert before["css/main.css"] != after["css/main.css"]
    assert before["js/site.js"] == after["js/site.js"]


def test_write_and_switch_off(theme, tmp_path):
    assets = Assets()
    settings = settings_for(theme, ASSETS_MANIFEST="theme/assets.json")
    table = assets.build(settings)
    out = tmp_path / "out"
    assets.write(str(out))
    for hashed in table.values():
        assert (out / "theme" / hashed).is_file()
    assert json.loads((out / "theme" / "assets.json").read_text()) == table
    off = Assets()
    off.reset(settings_for(theme, ASSETS_FINGERPRINT=False))
    assert off.url("css/main.css") == "https://thanhuy.example/theme/css/main.css"
    assert off.build(off.settings) == {}


def test_production_build_links_only_fingerprinted_theme_files(tiny_site):
    """A small production build (publishconf.py) in this process: the theme's files it links."""
    tiny_site.article()
    site = tiny_site.built(["assets"], PUBLISH_SETTINGS)
    table = json.loads((site.root / "theme" / "assets.json").read_text())
    for hashed in table.values():
        assert (site.root / "theme" / hashed).is_file()
    html = (site.root / "index.html").read_text(encoding="utf-8")
    css = re.search(r'<link rel="stylesheet" href="([^"]+main[^"]*\.css)"', html).group(1)
    assert css == f"{site.siteurl}/theme/{table['css/main.css']}"
