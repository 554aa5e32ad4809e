// Enhancement only: the page is complete without it.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 66rem)");
  var body = document.querySelector(".article-body");
  var notes = body ? body.querySelectorAll("aside.note") : [];

  // On narrow screens, notes start folded under their paragraph; on wide ones they stay open in the margin.
  function fold() {
    notes.forEach(function (note) { note.querySelector("details").open = !narrow.matches; });
  }

  // On wide screens, each note sits in the margin level with its passage. When the notes above
  // reach lower than that (by more than a few lines), the passage's paragraph moves down to meet
  // its note, so that gaps fall between paragraphs. Without script, notes sit level with their paragraph.
  var queued = false;
  var pushed = [];
  function place() {
    queued = false;
    if (!body) return;
    var wide = !narrow.matches && !window.matchMedia("print").matches;
    // keep a passage that was followed to (the :target) where the reader sees it
    var target = document.querySelector(":target");
    var before = target && target.getBoundingClientRect().top;
    body.classList.toggle("placed", wide);
    pushed.forEach(function (block) { block.style.paddingTop = ""; });
    pushed = [];
    var floor = 0, last = null;
    var slack = 4 * parseFloat(getComputedStyle(document.documentElement).fontSize);  // a note may sit this much lower
    var origin = body.getBoundingClientRect().top;
    notes.forEach(function (note) {
      if (!wide) { note.style.top = ""; return; }
      var mark = document.getElementById(note.getAttribute("data-note"));
      var block = mark && mark.closest(".article-body > *");
      var top = mark ? mark.getBoundingClientRect().top - origin - 4 : floor;
      // a paragraph moves only before any of its passages has its note placed
      if (block && top < floor - slack && block !== last) {
        block.style.paddingTop = (floor - slack - top) + "px";
        pushed.push(block);
        top = floor - slack;
      }
      last = block;
      top = Math.max(top, floor);
      note.style.top = top + "px";
      floor = top + note.offsetHeight + 12;
    });
    body.style.minHeight = wide ? floor + "px" : "";
    if (target && before >= 0 && before < window.innerHeight) {
      window.scrollBy(0, target.getBoundingClientRect().top - before);
    }
  }
  function later() {
    if (!queued) { queued = true; window.requestAnimationFrame(place); }
  }

  if (narrow.matches) fold();
  place();
  function changed() { fold(); place(); }
  if (narrow.addEventListener) narrow.addEventListener("change", changed); else narrow.addListener(changed);
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  document.addEventListener("toggle", later, true);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);

  // Printing shows every note, opened, as numbered endnotes after the article (without script:
  // after its paragraph); the page is put back as it was afterwards.
  var endnotes = null, homes = [];
  window.addEventListener("beforeprint", function () {
    notes.forEach(function (note) { note.querySelector("details").open = true; });
    if (body && notes.length && !endnotes) {
      var wrap = body.closest(".text-wrap") || body;
      endnotes = document.createElement("section");
      endnotes.className = "endnotes";
      var heading = document.createElement("h2");
      heading.textContent = "Notes";
      endnotes.appendChild(heading);
      homes = [];
      notes.forEach(function (note) {
        homes.push([note, note.parentNode, note.nextSibling]);
        endnotes.appendChild(note);
      });
      wrap.parentNode.insertBefore(endnotes, wrap.nextSibling);
    }
    place();
  });
  window.addEventListener("afterprint", function () {
    if (endnotes) {
      for (var i = homes.length - 1; i >= 0; i--) homes[i][1].insertBefore(homes[i][0], homes[i][2]);
      endnotes.remove();
      endnotes = null;
      fold();
    }
    later();
  });

  // A hover or focus on a passage lights its note, and the other way round.
  function light(id, on) {
    document.querySelectorAll("[data-annotation], [data-note]").forEach(function (el) {
      if (el.getAttribute("data-annotation") === id || el.getAttribute("data-note") === id) el.classList.toggle("lit", on);
    });
  }
  function handler(on) {
    return function (event) {
      var el = event.target.closest && event.target.closest("[data-annotation], [data-note], a.noteref");
      if (!el) return;
      light(el.getAttribute("data-annotation") || el.getAttribute("data-note") || el.id.replace(/^ref-/, ""), on);
    };
  }
  document.addEventListener("mouseover", handler(true));
  document.addEventListener("mouseout", handler(false));
  document.addEventListener("focusin", handler(true));
  document.addEventListener("focusout", handler(false));

  // Following a link to a note opens it, even when folded.
  function openTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var el = id && document.getElementById(id);
    var details = el && el.querySelector && el.querySelector("details");
    if (details && !details.open) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
