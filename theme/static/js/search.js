/* Search page: queries the self-hosted Pagefind bundle written by plugins/search.
   Loaded with defer from search.html only, after portal.js; no inline script, no other host.
   CSP: Pagefind compiles WebAssembly, so script-src needs 'wasm-unsafe-eval'.

   Vietnamese (plugins/search/fold.py says why and how):
   - Pagefind folds tone marks ("quang ngai" finds "Quảng Ngãi", exact accents rank higher)
     but not "đ". The index holds every text with đ written d, and the query is written the
     same way (after NFC: some keyboards send NFD), so "HDND", "QD-UBND" and "dai hoi dai bieu
     dang bo" find what "HĐND", "QĐ-UBND" and "đại hội đại biểu Đảng bộ" find, at any length.
     What is shown gets its đ back from the masks the index carries (unfold()).
   - A query typed without tone marks ("da nang") is most likely a proper noun: the articles
     where two adjacent words of the query stand capitalised ("Đà Nẵng") come first, the ones
     where those words are common words ("nhà văn hóa đa năng") after them. The index lists
     each article's capitalised word pairs; one extra search per pair of query words asks for
     them. A query with tone marks says which words it means, and Pagefind's ranking stays.
   - Results with the query's words whole and side by side come before the others (order()). */
(function () {
  "use strict";

  var PAGE = 10;
  var EXCERPT_WORDS = 30;
  var MAX_PAIRS = 6; // extra searches for proper nouns, at most
  var WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

  var Portal = window.Portal; // portal.js, loaded first
  var normalise = Portal.tidy;
  var fold = Portal.fold;
  var plainWord = Portal.plainWord;
  var el = Portal.el;

  function hasToneMarks(query) {
    return /[\u0300-\u036f]/.test(fold(query).normalize("NFD"));
  }

  /* The index words for the proper nouns a query could mean: each two adjacent words. */
  function pairWords(query) {
    var words = normalise(query).split(" ").map(plainWord);
    var pairs = [];
    for (var i = 0; i + 1 < words.length && pairs.length < MAX_PAIRS; i++) {
      if (/^\p{L}/u.test(words[i]) && /^\p{L}/u.test(words[i + 1])) {
        pairs.push({ at: i, word: "đđ" + words[i] + "đ" + words[i + 1] });
      }
    }
    return pairs;
  }

  /* fold.encode_mask() backwards: "đđđ", a letter a–p per four bits, q–t for the last group. */
  function decodeMask(word) {
    if (!word || word.length < 4 || word.slice(0, 3) !== "đđđ") { return null; }
    var last = word.charCodeAt(word.length - 1) - 113;
    if (last < 0 || last > 3) { return null; }
    var bits = [];
    for (var i = 3; i < word.length - 1; i++) {
      var v = word.charCodeAt(i) - 97;
      if (v < 0 || v > 15) { return null; }
      for (var b = 0; b < 4; b++) { bits.push((v >> b) & 1); }
    }
    return last ? bits.slice(0, bits.length - 4 + last) : bits;
  }

  /* The folded text with its đ back, or null when the mask does not fit it. */
  function unfold(text, mask) {
    var bits = decodeMask(mask);
    if (!bits) { return null; }
    var k = 0;
    var out = String(text).replace(/[dD]/g, function (c) {
      var bit = bits[k++];
      return bit ? (c === "d" ? "đ" : "Đ") : c;
    });
    return k === bits.length ? out : null;
  }

  /* Title, summary, section and text of a result as the article has them. */
  function original(data) {
    var meta = data.meta || {};
    var masks = String(meta.dau || "").split(" ");
    function back(text, i) {
      if (!text) { return ""; }
      var restored = masks.length === 4 ? unfold(text, masks[i]) : null;
      return restored === null ? text : restored;
    }
    var content = masks.length === 4 ? unfold(data.content || "", masks[3]) : null;
    return {
      title: back(meta.title, 0) || data.url,
      summary: back(meta.summary, 1),
      section: back(meta.section, 2),
      content: content // null: no excerpt rather than one without its đ
    };
  }

  /* The EXCERPT_WORDS words of the text with the most matched words (Pagefind's own
     locations: word positions in the text split at white space), the matches marked. */
  function excerpt(content, data) {
    var words = content.split(/[\r\n\s]+/g);
    var weight = [];
    (data.weighted_locations || []).forEach(function (l) {
      weight[l.location] = (weight[l.location] || 0) + (l.balanced_score || 1);
    });
    var start = 0;
    if (words.length > EXCERPT_WORDS) {
      var sum = 0, best = -1;
      for (var i = 0; i < words.length; i++) {
        sum += weight[i] || 0;
        if (i >= EXCERPT_WORDS) { sum -= weight[i - EXCERPT_WORDS] || 0; }
        var from = Math.max(0, i - EXCERPT_WORDS + 1);
        if (i >= EXCERPT_WORDS - 1 && sum > best) { best = sum; start = from; }
      }
    }
    var marked = {};
    (data.locations || []).forEach(function (l) { marked[l] = true; });
    return { words: words.slice(start, start + EXCERPT_WORDS), start: start, marked: marked,
             cut: start + EXCERPT_WORDS < words.length };
  }

  /* One order from the main search and the extra ones: first the results that have the
     query's words whole and side by side (Pagefind's quoted search: "sổ đỏ" before pages with
     "số" here and "đỏ" there; "HDND" before a page Pagefind matched by a word that begins the
     query's, "HD"), then those in which more of the query's words stand as proper nouns, then
     Pagefind's order. */
  function order(main, phrase, pairs, pairResults) {
    var together = {};
    (phrase || []).forEach(function (r) { together[r.id] = true; });
    var covered = {};
    pairResults.forEach(function (results, p) {
      results.forEach(function (r) {
        var words = covered[r.id] || (covered[r.id] = {});
        words[pairs[p].at] = words[pairs[p].at + 1] = true;
      });
    });
    function count(r) { return Object.keys(covered[r.id] || {}).length; }
    return main.map(function (r, i) { return { r: r, i: i, t: together[r.id] ? 1 : 0, n: count(r) }; })
      .sort(function (a, b) { return b.t - a.t || b.n - a.n || a.i - b.i; })
      .map(function (x) { return x.r; });
  }

  function viDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) { return ""; }
    var day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getDay();
    return WEEKDAYS[day] + ", " + m[3] + "/" + m[2] + "/" + m[1];
  }

  var api = {
    normalise: normalise, fold: fold, hasToneMarks: hasToneMarks, plainWord: plainWord,
    pairWords: pairWords, decodeMask: decodeMask, unfold: unfold, order: order, viDate: viDate
  };
  window.PortalSearch = api;

  var box = document.querySelector("[data-search]");
  if (!box) { return; }

  var d = document;
  var form = box.querySelector("form");
  var input = box.querySelector("input[name=q]");
  var sectionSel = box.querySelector("select[name=section]");
  var yearSel = box.querySelector("select[name=year]");
  var status = box.querySelector(".search__status");
  var announce = box.querySelector(".search__announce");
  var list = box.querySelector(".search__results");
  var more = box.querySelector(".search__more");
  var base = box.getAttribute("data-base") || "/";
  var loading = null;
  var shown = [];
  var shownCount = 0;
  var generation = 0;
  var busy = false;

  function say(text) { status.textContent = text; }
  function tell(text) { if (announce) { announce.textContent = text; } }

  function pagefind() {
    if (!loading) {
      // A big archive is indexed in several bundles (plugins/search): merge them into one.
      var merged = (box.getAttribute("data-merge") || "").split(" ").filter(Boolean);
      loading = import(box.getAttribute("data-bundle")).then(function (pf) {
        return pf.options({ baseUrl: "/" }).then(function () {
          return Promise.all(merged.map(function (url) { return pf.mergeIndex(url, { baseUrl: "/" }); }));
        }).then(function () { return pf; });
      });
    }
    return loading;
  }

  function href(url) { return Portal.href(url, base); }

  function render(data) {
    var meta = data.meta || {};
    var text = original(data);
    var li = el("li", "item search__result");
    var h2 = el("h2", "item__title");
    var a = el("a", "", text.title);
    a.href = href(data.url);
    h2.appendChild(a);
    li.appendChild(h2);
    var line = el("p", "meta");
    if (meta.date) {
      var time = el("time", "", viDate(meta.date));
      time.setAttribute("datetime", meta.date);
      line.appendChild(time);
    }
    if (text.section) {
      line.appendChild(d.createTextNode((meta.date ? " · " : "") + text.section));
    }
    li.appendChild(line);
    if (text.summary) { li.appendChild(el("p", "item__summary", text.summary)); }
    if (text.content) {
      var ex = excerpt(text.content, data);
      var p = el("p", "search__excerpt");
      p.appendChild(d.createTextNode(ex.start > 0 ? "… " : ""));
      ex.words.forEach(function (word, i) {
        if (i) { p.appendChild(d.createTextNode(" ")); }
        p.appendChild(ex.marked[ex.start + i] ? el("mark", "", word) : d.createTextNode(word));
      });
      if (ex.cut) { p.appendChild(d.createTextNode(" …")); }
      li.appendChild(p);
    }
    return li;
  }

  /* The next PAGE results. After "Xem thêm kết quả", focus moves to the first one added (the
     button may be gone: there may be no more) and the live region says how many came. */
  function showMore(gen, fromButton) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    var batch = shown.slice(shownCount, shownCount + PAGE);
    more.setAttribute("aria-disabled", "true");
    if (fromButton) { box.setAttribute("data-search-state", "busy"); }
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
      if (gen !== generation) { return; }
      var first = null;
      all.forEach(function (data) {
        var li = list.appendChild(render(data));
        first = first || li.querySelector("a");
      });
      shownCount += batch.length;
      more.removeAttribute("aria-disabled");
      more.hidden = shownCount >= shown.length;
      if (fromButton) {
        if (first) { first.focus(); }
        tell("Đã thêm " + batch.length + " kết quả, đang hiện " + shownCount + " trên " + shown.length + " bài.");
      }
      box.setAttribute("data-search-state", "done");
    }).then(function () { busy = false; }, function (err) { busy = false; throw err; });
  }

  function filters() {
    var f = {};
    if (sectionSel && sectionSel.value) { f.section = sectionSel.value; }
    if (yearSel && yearSel.value) { f.year = yearSel.value; }
    return f;
  }

  /* The results for a query: Pagefind's search of the folded query, its quoted form (the
     words whole and side by side), and one search per proper noun it could hold when it has
     no tone marks; ordered by order(). */
  function find(pf, query) {
    var folded = fold(query);
    var opts = { filters: filters() };
    var pairs = hasToneMarks(query) ? [] : pairWords(folded);
    var searches = [folded, /"/.test(folded) ? null : "\"" + folded + "\""]
      // Each proper-noun word alone: Pagefind leaves out of a query a word its index lacks, so
      // "da nang đđdađnang" would answer like "da nang" when no article has that proper noun.
      .concat(pairs.map(function (p) { return p.word; }));
    return Promise.all(searches.map(function (q) {
      return q === null ? [] : pf.search(q, opts).then(function (res) { return (res && res.results) || []; });
    })).then(function (sets) { return order(sets[0], sets[1], pairs, sets.slice(2)); });
  }

  function run(query) {
    var gen = ++generation;
    list.textContent = "";
    more.hidden = true;
    busy = false;
    shown = [];
    shownCount = 0;
    tell("");
    if (!query) {
      say("");
      box.setAttribute("data-search-state", "idle");
      return Promise.resolve();
    }
    box.setAttribute("data-search-state", "busy");
    say("Đang tìm…");
    return pagefind().then(function (pf) { return find(pf, query); }).then(function (results) {
      if (gen !== generation) { return; }
      shown = results;
      if (!shown.length) {
        say("Không tìm thấy bài nào cho “" + query + "”. Xin thử từ khóa khác, ngắn hơn.");
        box.setAttribute("data-search-state", "done");
        return;
      }
      say("Tìm thấy " + shown.length + " bài cho “" + query + "”.");
      return showMore(gen, false);
    }).catch(function () {
      if (gen !== generation) { return; }
      say("Không tải được công cụ tìm kiếm. Xin tải lại trang hoặc thử lại sau.");
      box.setAttribute("data-search-state", "error");
    });
  }

  function fillFilters(pf) {
    return pf.filters().then(function (all) {
      var any = false;
      [["section", sectionSel], ["year", yearSel]].forEach(function (pair) {
        var values = Object.keys((all && all[pair[0]]) || {});
        if (!pair[1] || !values.length) { return; }
        values.sort(pair[0] === "year" ? function (a, b) { return b - a; } : function (a, b) {
          return a.localeCompare(b, "vi");
        });
        var wanted = new URLSearchParams(location.search).get(pair[0]) || "";
        values.forEach(function (v) {
          var opt = el("option", "", v);
          opt.value = v;
          if (v === wanted) { opt.selected = true; }
          pair[1].appendChild(opt);
        });
        any = true;
      });
      box.querySelector(".search__filters").hidden = !any;
    });
  }

  function fromUrl() {
    var q = normalise(new URLSearchParams(location.search).get("q"));
    input.value = q;
    return q;
  }

  function submit(event) {
    if (event) { event.preventDefault(); }
    var q = normalise(input.value);
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    var f = filters();
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    return run(q);
  }

  form.addEventListener("submit", submit);
  [sectionSel, yearSel].forEach(function (sel) {
    if (sel) { sel.addEventListener("change", function () { if (input.value) { submit(); } }); }
  });
  more.addEventListener("click", function () {
    if (more.getAttribute("aria-disabled") !== "true") { showMore(generation, true); }
  });

  var initial = fromUrl();
  pagefind().then(fillFilters).catch(function () {}).then(function () {
    if (initial) { return run(initial); }
    box.setAttribute("data-search-state", "idle");
    input.focus();
  });
  api.run = run;
})();
