/* What the search page (search.js) and the document lists (plugins/documents: documents.js)
   share: Vietnamese text folded as plugins/search/fold.py folds it on the build side, and the
   two DOM helpers they build their results with. Loaded with defer before them (deferred
   scripts run in order); no inline script, no other host (CSP: script-src 'self'). */
(function () {
  "use strict";

  /* Text as typed, tidied: NFC (some keyboards send NFD), one space between words. */
  function tidy(text) {
    return String(text || "").normalize("NFC").replace(/\s+/g, " ").trim();
  }

  /* đ → d, Đ → D (and Ð/ð, which old fonts and converters put for Đ/đ): as fold.py's fold().
     Keeps the length and every other character: search.js unfolds the results by position. */
  function fold(text) {
    return String(text || "").replace(/[đð]/g, "d").replace(/[ĐÐ]/g, "D");
  }

  /* Lower case, no tone marks, d for đ: "Nghị quyết Đảng" → "nghi quyet dang". */
  function plain(text) {
    return fold(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* A word as fold.plain_word() writes it: plain, letters and digits only ("57-NQ/TW" → "57nqtw"). */
  function plainWord(word) {
    return plain(word).replace(/[^\p{L}\p{N}]/gu, "");
  }

  /* A new element with an optional class and text. */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  /* A site path from an index ("/van-ban/…" or "van-ban/…") as a URL under the site's base. */
  function href(url, base) {
    return new URL(String(url).replace(/^\//, ""), new URL(base, location.href)).href;
  }

  window.Portal = { tidy: tidy, fold: fold, plain: plain, plainWord: plainWord, el: el, href: href };
})();
