/* Progressive enhancement only: the page works without this file.
   Loaded with defer from base.html; no inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";
  var d = document;
  function each(sel, fn) { Array.prototype.forEach.call(d.querySelectorAll(sel), fn); }
  function say(btn, text) {
    var box = btn.parentNode.querySelector(".tools__status");
    if (box) { box.textContent = text; }
  }

  // Today's date in the top bar from the reader's clock ("Thứ Ba, 01/12/2026"): the build
  // writes none, so it stays reproducible.
  function two(n) { return (n < 10 ? "0" : "") + n; }
  each("[data-today]", function (box) {
    var now = new Date(), t = d.createElement("time");
    var day = two(now.getDate()), month = two(now.getMonth() + 1), year = now.getFullYear();
    t.setAttribute("datetime", year + "-" + month + "-" + day);
    t.textContent = (now.getDay() ? "Thứ " + ["Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy"][now.getDay() - 1] : "Chủ Nhật") +
      ", " + day + "/" + month + "/" + year;
    box.appendChild(t);
  });

  if (typeof window.print === "function") {
    each(".js-print", function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  each(".js-share", function (btn) {
    var canonical = d.querySelector("link[rel=canonical]");
    var url = btn.getAttribute("data-url") || (canonical && canonical.href) || location.href;
    var title = btn.getAttribute("data-title") || d.title;
    if (navigator.share) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    } else if (navigator.clipboard && window.isSecureContext) {
      btn.textContent = "Sao chép liên kết";
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () { say(btn, "Đã sao chép liên kết."); },
          function () { say(btn, "Không sao chép được, xin chép địa chỉ trên thanh trình duyệt."); }
        );
      });
    }
  });
})();
