/* Document lists (plugins/documents): filter every document by type, year and words.
   Progressive enhancement: without this script the list pages, and the pages per type and
   per year, work as they are, and the filter form stays hidden. Loaded with defer from
   documents/list.html, after the theme's portal.js; no inline script, no other host (CSP:
   script-src 'self', connect-src 'self').

   The first use of the form fetches DOCUMENTS_INDEX_JSON (every published document, a few
   fields each) and shows the matching ones in the table the page itself uses; clearing the
   form shows the page as built again. Words match without tone marks and with "đ" as "d"
   ("nghi quyet" finds "Nghị quyết"), and a number matches without its punctuation
   ("57nqtw", "57-nq/tw" find "57-NQ/TW"). The choice is kept in the address
   (?loai=&nam=&q=), so a filtered list can be bookmarked or sent. */
(function () {
  "use strict";

  var d = document;
  var form = d.querySelector("[data-doc-filter]");
  if (!form) { return; }

  function control(name) { return form.querySelector("[name=" + name + "]"); }
  var typeSel = control("loai");
  var yearSel = control("nam");
  var input = control("q");
  var status = d.querySelector(".doc-filter__status");
  var filtered = d.querySelector("[data-doc-filtered]");
  var original = d.querySelector("[data-doc-static]");
  var base = form.getAttribute("data-base") || "/";
  var pageType = form.getAttribute("data-type") || "";
  var pageYear = form.getAttribute("data-year") || "";
  var records = null;
  var loading = null;
  var timer = null;
  var generation = 0;

  var Portal = window.Portal; // the theme's portal.js, loaded first
  var fold = Portal.plain;
  var compact = Portal.plainWord;
  var el = Portal.el;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.json();
        })
        .then(function (list) {
          records = list.map(function (r) {
            r._text = fold([r.number, r.type_name, r.title, r.issuer, r.signer].join(" "));
            r._number = compact(r.number);
            return r;
          });
          return records;
        });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function matches(r, type, year, words, packed) {
    if (type && r.type !== type) { return false; }
    if (year && String(r.year) !== year) { return false; }
    if (packed && r._number.indexOf(packed) >= 0) { return true; }
    return words.every(function (w) { return r._text.indexOf(w) >= 0; });
  }

  function href(url) { return Portal.href(url, base); }

  function cell(label, cls) {
    var td = el("td", cls);
    td.setAttribute("data-label", label);
    return td;
  }

  /* The same table as documents/_macros.html builds. */
  function table(list) {
    var t = el("table", "doc-table");
    t.appendChild(el("caption", "visually-hidden", "Văn bản phù hợp: số, ký hiệu, ngày ban hành, trích yếu và tệp"));
    var head = el("thead");
    var hr = el("tr");
    ["Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Tệp"].forEach(function (name) {
      var th = el("th", "", name);
      th.setAttribute("scope", "col");
      hr.appendChild(th);
    });
    head.appendChild(hr);
    t.appendChild(head);
    var body = el("tbody");
    list.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(cell("Số, ký hiệu", "doc-table__number")).textContent = r.number;
      var date = cell("Ngày ban hành", "doc-table__date");
      var time = el("time", "", r.date_text);
      time.setAttribute("datetime", r.date);
      date.appendChild(time);
      tr.appendChild(date);
      var title = cell("Trích yếu", "doc-table__title");
      var a = el("a");
      a.href = href(r.url);
      a.appendChild(el("span", "doc-table__type", r.type_name));
      a.appendChild(d.createTextNode(" " + r.title));
      title.appendChild(a);
      title.appendChild(d.createTextNode(" "));
      title.appendChild(el("span", "doc-table__issuer", r.issuer));
      tr.appendChild(title);
      var file = cell("Tệp", "doc-table__file");
      var link = el("a", "", "Tải về");
      link.href = href(r.file);
      link.setAttribute("type", "application/pdf");
      link.setAttribute("download", "");
      link.appendChild(el("span", "visually-hidden", " " + r.type_name + " số " + r.number));
      link.appendChild(d.createTextNode(" (PDF, " + r.size + ")"));
      file.appendChild(link);
      tr.appendChild(file);
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function state() {
    return { type: typeSel.value, year: yearSel.value, q: Portal.tidy(input.value) };
  }

  function remember(s) {
    var params = new URLSearchParams(location.search);
    [["loai", s.type !== pageType ? s.type : ""], ["nam", s.year !== pageYear ? s.year : ""], ["q", s.q]]
      .forEach(function (pair) {
        if (pair[1]) { params.set(pair[0], pair[1]); } else { params.delete(pair[0]); }
      });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  function showOriginal() {
    filtered.hidden = true;
    filtered.textContent = "";
    original.hidden = false;
    status.textContent = "";
    form.removeAttribute("data-doc-state");
  }

  function apply() {
    var s = state();
    var gen = ++generation;
    remember(s);
    if (s.type === pageType && s.year === pageYear && !s.q) {
      showOriginal();
      return Promise.resolve();
    }
    form.setAttribute("data-doc-state", "busy");
    return load().then(function (list) {
      if (gen !== generation) { return; }
      var words = fold(s.q).split(" ").filter(Boolean);
      var packed = compact(s.q);
      var found = list.filter(function (r) { return matches(r, s.type, s.year, words, packed); });
      filtered.textContent = "";
      if (found.length) {
        filtered.appendChild(table(found));
        status.textContent = "Có " + found.length.toLocaleString("vi-VN") + " văn bản phù hợp.";
      } else {
        status.textContent = "Không có văn bản nào phù hợp. Xin bỏ bớt điều kiện lọc.";
      }
      original.hidden = true;
      filtered.hidden = false;
      form.setAttribute("data-doc-state", "done");
    }).catch(function () {
      if (gen !== generation) { return; }
      showOriginal();
      status.textContent = "Không tải được danh sách để lọc; xin dùng các liên kết theo loại và theo năm.";
      form.setAttribute("data-doc-state", "error");
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(apply, 200);
  }

  function choose(select, value) {
    if (!value) { return; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }

  typeSel.addEventListener("change", apply);
  yearSel.addEventListener("change", apply);
  input.addEventListener("input", soon);

  var params = new URLSearchParams(location.search);
  choose(typeSel, params.get("loai"));
  choose(yearSel, params.get("nam"));
  input.value = (params.get("q") || "").normalize("NFC");
  form.hidden = false; // the controls: a <div role=search>, not a <form> (nothing is sent)
  var s = state();
  if (s.type !== pageType || s.year !== pageYear || s.q) { apply(); }

  window.PortalDocuments = { fold: fold, compact: compact, apply: apply };
})();
