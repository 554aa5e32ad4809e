// Enhancement only: the page is complete without it.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 66rem)");
  function fold() {
    // On narrow screens, notes start folded under their paragraph; on wide ones they stay open in the margin.
    document.querySelectorAll(".article-body .note details").forEach(function (d) { d.open = !narrow.matches; });
  }
  if (narrow.matches) fold();
  if (narrow.addEventListener) narrow.addEventListener("change", fold);

  // Printing shows every note, folded or not.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".note details").forEach(function (d) { d.open = true; });
  });

  // A hover or focus on a passage lights its note, and the other way round.
  function light(id, on) {
    document.querySelectorAll('[data-annotation="' + id + '"], [data-note="' + id + '"]').forEach(function (el) {
      el.classList.toggle("lit", on);
    });
  }
  function handler(on) {
    return function (event) {
      var el = event.target.closest && event.target.closest("[data-annotation], [data-note]");
      if (el) light(el.getAttribute("data-annotation") || el.getAttribute("data-note"), on);
    };
  }
  document.addEventListener("mouseover", handler(true));
  document.addEventListener("mouseout", handler(false));
  document.addEventListener("focusin", handler(true));
  document.addEventListener("focusout", handler(false));

  // Following a link to a note opens it, even when folded.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    var details = el && el.querySelector && el.querySelector("details");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
