/* Search page: queries the self-hosted Pagefind bundle written by plugins/search.
   Loaded with defer from search.html only; no inline script, no other host.
   CSP: Pagefind compiles WebAssembly, so script-src needs 'wasm-unsafe-eval'.

   Vietnamese: Pagefind folds tone marks ("quang ngai" finds "Quảng Ngãi", exact
   accents rank higher) but treats "đ" as a letter of its own. The query is
   normalised to NFC (some keyboards send NFD) and every word that starts with
   "d" is also tried with "đ", so "dang bo" finds "Đảng bộ" and "da nang" finds
   "Đà Nẵng". Results of all variants are merged; the query as typed wins ties. */
(function () {
  "use strict";

  var MAX_D_WORDS = 3; // 2^3 = 8 variant queries at most
  var PAGE = 10;
  var WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

  function normalise(query) {
    return String(query || "").normalize("NFC").replace(/\s+/g, " ").trim();
  }

  /* The query as typed first, then the variants with "đ" for a word-initial "d". */
  function variants(query) {
    var words = normalise(query).split(" ").filter(Boolean);
    var out = [[]];
    var expanded = 0;
    words.forEach(function (word) {
      var alts = [word];
      if (/^d/i.test(word) && expanded < MAX_D_WORDS) {
        alts.push((word[0] === "D" ? "Đ" : "đ") + word.slice(1));
        expanded += 1;
      }
      var next = [];
      out.forEach(function (prefix) {
        alts.forEach(function (alt) { next.push(prefix.concat([alt])); });
      });
      out = next;
    });
    return out.map(function (ws) { return ws.join(" "); }).filter(Boolean);
  }

  /* One list from several result sets: best score per page; on equal score the
     earlier variant (the query as typed) comes first, then Pagefind's order. */
  function merge(resultSets) {
    var best = {};
    var order = [];
    resultSets.forEach(function (results, variant) {
      results.forEach(function (r, rank) {
        var seen = best[r.id];
        if (!seen) {
          best[r.id] = { result: r, score: r.score, variant: variant, rank: rank };
          order.push(r.id);
        } else if (r.score > seen.score) {
          seen.score = r.score;
        }
      });
    });
    return order.map(function (id) { return best[id]; }).sort(function (a, b) {
      return b.score - a.score || a.variant - b.variant || a.rank - b.rank;
    }).map(function (x) { return x.result; });
  }

  function viDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) { return ""; }
    var day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getDay();
    return WEEKDAYS[day] + ", " + m[3] + "/" + m[2] + "/" + m[1];
  }

  var api = { normalise: normalise, variants: variants, merge: merge, viDate: viDate };
  window.PortalSearch = api;

  var box = document.querySelector("[data-search]");
  if (!box) { return; }

  var d = document;
  var form = box.querySelector("form");
  var input = box.querySelector("input[name=q]");
  var sectionSel = box.querySelector("select[name=section]");
  var yearSel = box.querySelector("select[name=year]");
  var status = box.querySelector(".search__status");
  var list = box.querySelector(".search__results");
  var more = box.querySelector(".search__more");
  var base = box.getAttribute("data-base") || "/";
  var loading = null;
  var shown = [];
  var shownCount = 0;
  var generation = 0;

  function say(text) { status.textContent = text; }

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

  function href(url) {
    return new URL(String(url).replace(/^\//, ""), new URL(base, location.href)).href;
  }

  function el(tag, cls, text) {
    var node = d.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function render(data) {
    var meta = data.meta || {};
    var li = el("li", "item search__result");
    var h2 = el("h2", "item__title");
    var a = el("a", "", meta.title || data.url);
    a.href = href(data.url);
    h2.appendChild(a);
    li.appendChild(h2);
    var line = el("p", "meta");
    if (meta.date) {
      var time = el("time", "", viDate(meta.date));
      time.setAttribute("datetime", meta.date);
      line.appendChild(time);
    }
    if (meta.section) {
      line.appendChild(d.createTextNode((meta.date ? " · " : "") + meta.section));
    }
    li.appendChild(line);
    if (meta.summary) { li.appendChild(el("p", "item__summary", meta.summary)); }
    if (data.excerpt) {
      var ex = el("p", "search__excerpt");
      ex.innerHTML = "… " + data.excerpt + " …"; // Pagefind escapes the text; only <mark> is markup
      li.appendChild(ex);
    }
    return li;
  }

  function showMore(gen) {
    var batch = shown.slice(shownCount, shownCount + PAGE);
    shownCount += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
      if (gen !== generation) { return; }
      all.forEach(function (data) { list.appendChild(render(data)); });
      more.hidden = shownCount >= shown.length;
      box.setAttribute("data-search-state", "done");
    });
  }

  function filters() {
    var f = {};
    if (sectionSel && sectionSel.value) { f.section = sectionSel.value; }
    if (yearSel && yearSel.value) { f.year = yearSel.value; }
    return f;
  }

  function run(query) {
    var gen = ++generation;
    list.textContent = "";
    more.hidden = true;
    shown = [];
    shownCount = 0;
    if (!query) {
      say("");
      box.setAttribute("data-search-state", "idle");
      return Promise.resolve();
    }
    box.setAttribute("data-search-state", "busy");
    say("Đang tìm…");
    return pagefind().then(function (pf) {
      var opts = { filters: filters() };
      return Promise.all(variants(query).map(function (q) {
        return pf.search(q, opts).then(function (res) { return (res && res.results) || []; });
      }));
    }).then(function (sets) {
      if (gen !== generation) { return; }
      shown = merge(sets);
      if (!shown.length) {
        say("Không tìm thấy bài nào cho “" + query + "”. Xin thử từ khóa khác, ngắn hơn.");
        box.setAttribute("data-search-state", "done");
        return;
      }
      say("Tìm thấy " + shown.length + " bài cho “" + query + "”.");
      return showMore(gen);
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
  more.addEventListener("click", function () { showMore(generation); });

  var initial = fromUrl();
  pagefind().then(fillFilters).catch(function () {}).then(function () {
    if (initial) { return run(initial); }
    box.setAttribute("data-search-state", "idle");
    input.focus();
  });
  api.run = run;
})();
