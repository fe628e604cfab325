// Keyboard shortcuts (WCAG 2.1.4: single-key shortcuts only when the user turns them on).
(function () {
  "use strict";
  var KEY = "uwagi-skroty";
  var box = document.getElementById("skroty");
  var on = localStorage.getItem(KEY) === "1";
  if (box) {
    box.checked = on;
    box.addEventListener("change", function () { on = box.checked; localStorage.setItem(KEY, on ? "1" : "0"); });
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));
  var current = -1;
  function select(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, n) { r.classList.toggle("current", n === current); });
    var link = rows[current].querySelector("[data-open]");
    if (link) { link.focus(); }
  }
  function follow(sel) { var a = document.querySelector(sel); if (a) { a.click(); } }
  document.addEventListener("keydown", function (ev) {
    if (!on || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || ev.target.isContentEditable) { return; }
    var k = ev.key;
    if (k === "j") { if (rows.length) { select(current + 1); } else { follow("[data-next]"); } }
    else if (k === "k") { if (rows.length) { select(current - 1); } else { follow("[data-prev]"); } }
    else if (k === "o" && current >= 0) { rows[current].querySelector("[data-open]").click(); }
    else if (k === "p") {
      var scope = current >= 0 ? rows[current] : document;
      var b = scope.querySelector("[data-confirm]");
      if (b) { b.click(); } else { return; }
    }
    else if (k === "/") { var s = document.querySelector("[data-search]"); if (s) { s.focus(); } else { return; } }
    else if (k === "?") { var d = document.getElementById("skroty-opis"); if (d) { d.scrollIntoView(); d.focus(); } }
    else { return; }
    ev.preventDefault();
  });
})();
