/* Visitor counter widget (plugins/hitcount). No dependencies, loaded with defer, no inline
   script (CSP script-src 'self'). Keeps one thing in the browser: a random visit id (a ULID)
   and the time it was last used, in localStorage, shared by the tabs of this browser so that
   one reader is one visit; after 30 minutes without activity the next page starts a new
   visit with a new id. No cookie, no fingerprint, nothing about the reader.
   Also fills the "Đọc nhiều" list ([data-most-read]) from the counter's /top, when present. */
(function () {
  "use strict";
  var d = document;
  var root = d.querySelector("[data-hitcount]");
  if (!root || !window.fetch || !window.JSON) { return; }

  var KEY = "hitcount.visit";
  var IDLE = 30 * 60 * 1000; // a visit ends after 30 minutes without a page or heartbeat
  var VALID = /^[A-Za-z0-9_-]{16,64}$/;
  var endpoint = root.getAttribute("data-endpoint") || "/api/hits";
  var path = root.getAttribute("data-path") || location.pathname;
  var beat = (parseInt(root.getAttribute("data-heartbeat"), 10) || 60) * 1000;
  var visit = null; // this page's id when the browser keeps nothing
  var timer = null;
  var last = 0;

  // A ULID: the time in ms (10 characters), then 16 random ones. Time-ordered ids let the
  // counter's store append new visits instead of scattering them (stores/sqlite.py).
  function randomId() {
    var abc = "0123456789ABCDEFGHJKMNPQRSTVWXYZ", out = "", t = Date.now(), i;
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(bytes); }
    else { for (i = 0; i < bytes.length; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    for (i = 0; i < 10; i++) { out = abc.charAt(t % 32) + out; t = Math.floor(t / 32); }
    for (i = 0; i < bytes.length; i++) { out += abc.charAt(bytes[i] & 31); }
    return out;
  }

  // Where the visit is kept: localStorage (every tab of the browser), else sessionStorage
  // (this tab), else nothing (this page).
  function storage() {
    var names = ["localStorage", "sessionStorage"];
    for (var i = 0; i < names.length; i++) {
      try {
        var s = window[names[i]];
        s.setItem("hitcount.test", "1");
        s.removeItem("hitcount.test");
        return s;
      } catch (e) { /* blocked or full: try the next */ }
    }
    return null;
  }
  var store = storage();

  // The visit id, renewed after IDLE without use; each call marks the visit as active.
  function visitId() {
    var now = Date.now(), kept = null;
    if (store) {
      try { kept = JSON.parse(store.getItem(KEY)); } catch (e) { kept = null; }
    } else if (visit) {
      kept = visit;
    }
    var fresh = kept && typeof kept.id === "string" && VALID.test(kept.id) &&
      typeof kept.seen === "number" && now - kept.seen <= IDLE && kept.seen <= now + 60000;
    visit = { id: fresh ? kept.id : randomId(), seen: now };
    if (store) {
      try { store.setItem(KEY, JSON.stringify(visit)); } catch (e) { /* keep it for this page */ }
    }
    return visit.id;
  }

  // 14276 → "14.276", as Vietnamese writes it, without relying on the browser's ICU data.
  function format(n) {
    return String(Math.floor(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function show(data) {
    var spots = d.querySelectorAll("[data-hitcount-figure]");
    for (var i = 0; i < spots.length; i++) {
      var value = data[spots[i].getAttribute("data-hitcount-figure")];
      if (typeof value === "number" && isFinite(value) && value >= 0) {
        spots[i].textContent = format(value);
      }
    }
  }

  // Any failure (endpoint down, 4xx, 429) leaves the "—" in place and says nothing.
  function send(heartbeat) {
    last = Date.now();
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path: path, visit: visitId(), heartbeat: heartbeat }),
      credentials: "omit",
      cache: "no-store"
    }).then(function (r) {
      return r.status === 200 ? r.json() : null;
    }).then(function (data) {
      if (data) { show(data); }
    }).catch(function () {});
  }

  // Heartbeats only while the page is visible (Page Visibility API).
  function start() {
    if (!timer) { timer = setInterval(function () { send(true); }, beat); }
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
  }
  d.addEventListener("visibilitychange", function () {
    if (d.visibilityState === "hidden") { stop(); return; }
    if (Date.now() - last >= beat) { send(true); }
    start();
  });

  // "Đọc nhiều": the most-read articles, as links built from text (never as HTML). The
  // block stays hidden when the counter cannot answer, as it is without JavaScript.
  function mostRead() {
    var box = d.querySelector("[data-most-read]");
    var list = box && box.querySelector("ol");
    if (!list) { return; }
    var url = endpoint.replace(/\/hits$/, "/top") + "?period=" +
      (box.getAttribute("data-period") || "week") + "&n=" + (box.getAttribute("data-count") || "5");
    fetch(url, { credentials: "omit" }).then(function (r) {
      return r.status === 200 ? r.json() : null;
    }).then(function (rows) {
      if (!rows || !rows.length) { return; }
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        if (!row || typeof row.path !== "string" || !/^\/(?!\/)/.test(row.path)) { continue; }
        var item = d.createElement("li"), link = d.createElement("a");
        link.href = (box.getAttribute("data-siteurl") || "") + row.path;
        link.textContent = String(row.title || row.path);
        item.appendChild(link);
        list.appendChild(item);
      }
      if (list.children.length) { box.hidden = false; }
    }).catch(function () {});
  }

  send(false);
  if (d.visibilityState !== "hidden") { start(); }
  mostRead();
})();
