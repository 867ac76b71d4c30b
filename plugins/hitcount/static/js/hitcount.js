/* Visitor counter widget (plugins/hitcount). No dependencies, loaded with defer, no inline
   script (CSP script-src 'self'). Keeps one thing in the browser: a random visit id (a ULID) in
   sessionStorage, gone when the tab closes. No cookie, no fingerprint. */
(function () {
  "use strict";
  var d = document;
  var root = d.querySelector("[data-hitcount]");
  if (!root || !window.fetch || !window.JSON) { return; }

  var KEY = "hitcount.visit";
  var VALID = /^[A-Za-z0-9_-]{16,64}$/;
  var endpoint = root.getAttribute("data-endpoint") || "/api/hits";
  var path = root.getAttribute("data-path") || location.pathname;
  var beat = (parseInt(root.getAttribute("data-heartbeat"), 10) || 60) * 1000;
  var visit = null;
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

  // One id per tab session; a browser that refuses sessionStorage gets one per page.
  function visitId() {
    if (visit) { return visit; }
    try {
      visit = sessionStorage.getItem(KEY);
      if (!visit || !VALID.test(visit)) {
        visit = randomId();
        sessionStorage.setItem(KEY, visit);
      }
    } catch (e) {
      visit = randomId();
    }
    return visit;
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

  send(false);
  if (d.visibilityState !== "hidden") { start(); }
})();
