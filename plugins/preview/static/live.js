// Development only (make serve): reload this tab when its page changes or an error
// appears or goes. The server says "something changed" over Server-Sent Events; the tab
// asks for its own page's fingerprint (HEAD) and reloads only if that differs.
(function () {
  "use strict";
  var script = document.currentScript;
  var etag = script && script.getAttribute("data-etag");
  if (!etag || !window.EventSource) return;
  var events = new EventSource("/_preview/events");
  events.onmessage = function () {
    fetch(location.pathname + location.search, { method: "HEAD", cache: "no-store" })
      .then(function (response) {
        var now = response.headers.get("x-preview-etag");
        if (now !== etag) location.reload();
      })
      .catch(function () {});
  };
})();
