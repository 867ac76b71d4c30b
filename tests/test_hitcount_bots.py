"""Who counts as a reader (plugins/hitcount_service/bots.py): browsers yes; programs and bots no."""

from __future__ import annotations

import pytest

from hitcount_service.bots import ReaderFilter

READERS = [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/125.0.190 "
     "Chrome/119.0 Safari/537.36"),
    ("Mozilla/5.0 (Linux; Android 13; SM-A546E Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/120.0 Mobile Safari/537.36 Zalo android/12100 ZaloTheme/light ZaloLanguage/vn"),
    "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0",
    ("Mozilla/5.0 (Linux; Android 12; CUBOT P60) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
     "Mobile Safari/537.36"),
]
NOT_READERS = [
    "x",
    "",
    "   ",
    "Mozilla",
    "Mozilla/5.0",
    "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Python-urllib/3.11",
    "Wget/1.21.3",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Java/17.0.2",
    "PostmanRuntime/7.39.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
]


@pytest.fixture(scope="module")
def readers() -> ReaderFilter:
    return ReaderFilter()


@pytest.mark.parametrize("agent", READERS)
def test_browsers_are_readers(readers, agent):
    assert readers.is_reader(agent.encode())
    assert readers.is_reader(agent.encode())  # the cached answer is the same


@pytest.mark.parametrize("agent", NOT_READERS)
def test_programs_and_bots_are_not(readers, agent):
    assert not readers.is_reader(agent.encode())


def test_no_user_agent_is_not_a_reader(readers):
    assert not readers.is_reader(None)


def test_the_cache_stays_bounded():
    small = ReaderFilter(cache_size=10)
    for i in range(100):
        small.is_reader(f"agent-{i}".encode())
    assert len(small._cache) <= 10
