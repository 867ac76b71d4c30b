/* Thống kê truy cập (plugins/hitcount/templates/statistics.html): the counter's /stats drawn
   as an SVG bar chart with the same figures in a table, the most-read lists and the views per
   section. Everything is built from text nodes and SVG attributes: no HTML from the answer,
   no inline style (CSP style-src 'self'). */
(function () {
  "use strict";
  var d = document;
  var box = d.querySelector("[data-stats]");
  if (!box || !window.fetch || !window.JSON) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var api = box.getAttribute("data-api") || "/api";
  var siteurl = (d.querySelector("[data-most-read]") || box).getAttribute("data-siteurl") || "";

  function number(n) { return String(Math.floor(n)).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function dayName(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function cell(row, text, numeric) {
    var td = d.createElement("td");
    td.textContent = text;
    if (numeric) { td.className = "stats-n"; }
    row.appendChild(td);
  }
  function svg(name, attrs) {
    var node = d.createElementNS(SVG, name);
    for (var key in attrs) { if (attrs.hasOwnProperty(key)) { node.setAttribute(key, attrs[key]); } }
    return node;
  }

  function chart(rows) {
    var node = box.querySelector("[data-stats-chart]");
    var title = node.querySelector("title");
    clear(node);
    node.appendChild(title);
    var width = 640, height = 200, top = 10, bottom = 20, max = 1;
    rows.forEach(function (r) { if (r.visits > max) { max = r.visits; } });
    var step = width / rows.length;
    rows.forEach(function (r, i) {
      var h = Math.round((height - top - bottom) * r.visits / max);
      var bar = svg("rect", { "class": "stats-chart__bar", x: (i * step + step * 0.1).toFixed(2),
        y: height - bottom - h, width: Math.max(step * 0.8, 0.5).toFixed(2), height: h });
      var tip = svg("title", {});
      tip.textContent = dayName(r.date) + ": " + number(r.visits);
      bar.appendChild(tip);
      node.appendChild(bar);
    });
    node.appendChild(svg("line", { "class": "stats-chart__axis", x1: 0, y1: height - bottom, x2: width, y2: height - bottom }));
    var first = svg("text", { "class": "stats-chart__label", x: 0, y: height - 4 });
    first.textContent = dayName(rows[0].date);
    var last = svg("text", { "class": "stats-chart__label", x: width, y: height - 4, "text-anchor": "end" });
    last.textContent = dayName(rows[rows.length - 1].date);
    node.appendChild(first);
    node.appendChild(last);
    var most = svg("text", { "class": "stats-chart__label", x: 0, y: top + 2 });
    most.textContent = "cao nhất " + number(max);
    node.appendChild(most);
  }

  function table(rows) {
    var body = box.querySelector("[data-stats-days-table]");
    clear(body);
    rows.slice().reverse().forEach(function (r) {
      var tr = d.createElement("tr");
      cell(tr, dayName(r.date));
      cell(tr, number(r.visits), true);
      body.appendChild(tr);
    });
  }

  function topLists(top) {
    ["day", "week", "month"].forEach(function (period) {
      var list = box.querySelector('[data-stats-top="' + period + '"]');
      clear(list);
      (top[period] || []).forEach(function (r) {
        if (typeof r.path !== "string" || !/^\/(?!\/)/.test(r.path)) { return; }
        var li = d.createElement("li"), a = d.createElement("a");
        a.href = siteurl + r.path;
        a.textContent = String(r.title);
        li.appendChild(a);
        li.appendChild(d.createTextNode(" (" + number(r.views) + ")"));
        list.appendChild(li);
      });
      if (!list.children.length) {
        var none = d.createElement("li");
        none.textContent = "Chưa có số liệu";
        list.appendChild(none);
      }
    });
  }

  function sections(rows) {
    var body = box.querySelector("[data-stats-sections]");
    clear(body);
    rows.forEach(function (r) {
      var tr = d.createElement("tr");
      cell(tr, String(r.section));
      cell(tr, number(r.views), true);
      body.appendChild(tr);
    });
  }

  function load(days) {
    fetch(api + "/stats?days=" + days, { credentials: "omit" }).then(function (r) {
      return r.status === 200 ? r.json() : null;
    }).then(function (stats) {
      if (!stats || !stats.visits || !stats.visits.length) { throw new Error("no figures"); }
      box.querySelector("[data-stats-summary]").textContent =
        "Tổng cộng " + number(stats.total_visits) + " lượt truy cập trong " + stats.days + " ngày gần nhất.";
      chart(stats.visits);
      table(stats.visits);
      topLists(stats.top || {});
      sections(stats.sections || []);
      box.hidden = false;
      d.querySelector("[data-stats-error]").hidden = true;
    }).catch(function () {
      d.querySelector("[data-stats-error]").hidden = false;
    });
  }

  var select = box.querySelector("[data-stats-days]");
  select.addEventListener("change", function () { load(select.value); });
  load(select.value);
})();
