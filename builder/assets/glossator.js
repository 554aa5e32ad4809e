// Enhancement only: the page is complete without it. CSS places every note (anchor positioning);
// this script chooses which notes open, and adds previews, the minimap's "you are here" and print.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var narrow = window.matchMedia("(max-width: 66rem)");
  var body = document.querySelector(".article-body");
  var notes = body ? Array.prototype.slice.call(body.querySelectorAll("aside.note")) : [];
  var printing = false;
  // The numbers in the text are Tab stops where the script runs, which orders Tab on a phone (below); without it
  // they are not, and Tab goes from note to note (weave.py's noteref_html).
  if (body) body.querySelectorAll("a.noteref[tabindex='-1']").forEach(function (a) { a.removeAttribute("tabindex"); });

  function details(note) { return note.querySelector("details"); }
  function passage(note) { return document.getElementById(note.getAttribute("data-note")); }
  // A note's slot, by its name (--sN, one per note): after its reference, past those of passages that start at
  // the same word (weave.py: references, then slots); after the passage's line in code (audit page4: the script
  // looked only right after the reference, so that a note opened from code lay over the lines below); in a row
  // of their own right over its row for a passage in a table.
  var slots = {};
  // (not the copies that stand with an earlier passage's slot without script: weave.py's _near)
  if (body) body.querySelectorAll(".slot:not(.ahead)").forEach(function (s) {
    var name = s.style.getPropertyValue("--slot").trim();
    if (name && !slots[name]) slots[name] = s;
  });
  function slot(note) { return slots[note.style.getPropertyValue("--s").trim()] || null; }
  // Right to left, chromium stacks the slots of a line in the order the line shows them, the last passage's
  // first (audit page6: notes 1, 3, 2 under an Arabic line, note 2 56 px under its passage's line): each note
  // takes the slots in the order they stand, in its own order, so the first passage's note is the higher.
  var own = notes.map(function (note) { return note.style.getPropertyValue("--s").trim(); });
  function order() {
    var held = own.filter(function (name) { return slots[name]; });
    var tops = held.map(function (name) { return slots[name].getBoundingClientRect().top; });
    var sorted = held.map(function (name, k) { return k; }).sort(function (a, b) { return tops[a] - tops[b] || a - b; });
    var k = 0;
    notes.forEach(function (note, i) { if (slots[own[i]]) note.style.setProperty("--s", held[sorted[k++]]); });
  }
  function top(el) { var r = el.getClientRects(); return r.length ? r[0].top : el.getBoundingClientRect().top; }

  // Which notes are open. A note the reader opened or closed (data-pinned) stays so. On wide
  // screens every other note opens when, open, it ends before the next note's passage starts, so
  // that no note is pushed away from its passage; the rest stay folded to one line. On narrow
  // screens the others stay folded, and each slot takes the height of its note, so an open note
  // pushes the lines under it down instead of covering them.
  var queued = false;
  // What the notes were last placed for, on a wide screen: the fonts loaded, the widths of the text and of the text
  // with its margin, and where each passage starts (the text never moves there). The page's `load`, its fonts and a
  // resize ask for a layout again; when none of these moved, the notes stay as they are: each layout of a page of 400
  // notes took 0.5 to 1 s, and a page loaded with its fonts ready laid them out three times (bench/page_load.py
  // --dense 200x2: 3.5 to 4.8 s at 1280 px, 2.5 to 3.1 s now, on a busy machine)
  var placed = null;
  function where(firsts) {
    var faces = 0;  // loaded (the set's status said "loading" a while after its last face had come: a layout more)
    if (document.fonts && document.fonts.forEach) document.fonts.forEach(function (face) { if (face.status === "loaded") faces++; });
    return [faces, body.getBoundingClientRect().width, body.parentNode.getBoundingClientRect().width].concat(
      firsts.map(function (y) { return Math.round(y - firsts[0]); })).join(" ");
  }
  function layout() {
    queued = false;
    placed = null;
    if (!body || printing) return;
    var wide = !narrow.matches;
    notes.forEach(unset);
    if (wide) {
      var line = parseFloat(getComputedStyle(body).lineHeight) || 28;
      var blocks = body.querySelectorAll(":scope > :not(.notes)"), end = blocks.length ? blocks[blocks.length - 1].getBoundingClientRect().bottom : null;
      var firsts = notes.map(function (note) { return top(passage(note)); });  // the text never moves: read once
      placed = where(firsts);
      var room = function (i, y) {  // from y down to the next passage; the last note may run past the end of the
        // text by ten lines, not leave a screen of blank column
        return i + 1 < notes.length ? firsts[i + 1] - 4 - y : end !== null ? Math.max(end - y, 0) + 10 * line : Infinity;
      };
      settle(predict(room, line), room, line);
      pack(line, firsts);
      tighten(firsts);
      var last = notes[notes.length - 1];
      body.style.minHeight = last ? Math.max(0, last.getBoundingClientRect().bottom - body.getBoundingClientRect().top) + "px" : "";
    } else {
      body.style.minHeight = "";
      unwrap();
      if (body.dir === "rtl") order();  // (left to right, the slots stand in the notes' order)
      // (and a folded note of a long verdict: its slot's lines, glossator.css, are a guess made for 320 px)
      var open = notes.filter(function (note) { return slot(note) && (details(note).open || slot(note).classList.contains("tall")); });
      var heights = open.map(function (note) { return note.offsetHeight; });  // all read, then all written: one layout
      open.forEach(function (note, k) { slot(note).style.height = heights[k] + "px"; });
      side();
    }
  }
  // On a narrow screen a reference that wraps round a note's slot ("7 Figure" at a line's end, the note of the line's
  // passage under it, "with no traceable source" under the note) goes whole to the next line, as one word would
  // (glossator.css, .noteref.whole), where the line holds it: the note read as part of the reference, and its line, a
  // tap target between the reference's two pieces, failed axe's target-size (heldout46, heldout48, heldout50, page58).
  // Twice at most: a reference moved down may wrap round the next slot in turn
  var refs = body ? Array.prototype.slice.call(body.querySelectorAll(".noteref")) : [];
  function unwrap() {
    var line = parseFloat(getComputedStyle(body).lineHeight) || 28, width = body.getBoundingClientRect().width;
    refs.forEach(function (a) { a.classList.remove("whole"); });
    var first = function (a) {  // the width of its passage's first word, which stays on the reference's line
      var m = document.getElementById((a.getAttribute("href") || "").replace(/^#note-/, "")), t = m && document.createTreeWalker(m, NodeFilter.SHOW_TEXT).nextNode();
      if (!t) return 0;
      var range = document.createRange(), end = t.data.search(/\s/);
      range.setStart(t, 0); range.setEnd(t, end < 0 ? t.data.length : end);
      return range.getBoundingClientRect().width;
    };
    for (var round = 0; round < 2; round++) {
      var split = refs.filter(function (a) {  // all read, then all written
        var r = a.getClientRects(), w = 0;
        for (var k = 0; k < r.length; k++) w += r[k].width;
        for (k = 1; k < r.length; k++) if (r[k].top - r[k - 1].top > 1.5 * line) return w + first(a) < width - 8;
        return false;
      });
      if (!split.length) return;
      split.forEach(function (a) { a.classList.add("whole"); });
    }
  }
  // On a narrow screen, two or more folded notes of passages that start on one line stand side by side under it,
  // in columns of at most two, each a share of the line's width (its number and its first words, cut), in the first
  // one's slot; the others' slots take no room. Stacked, one under another, seven of them left a hole of 169 px
  // in the text under an Arabic line of short words (session 38); two, 47 px (heldout54's fifteen, page57). Reading order runs down each column, then to the
  // next, on the text's side: each note is level with its passage's line or right under the note before it.
  var SHARE = 5;  // rem: the narrowest a note's share of the line may be
  function side() {
    var line = parseFloat(getComputedStyle(body).lineHeight) || 28;
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var rtl = body.dir === "rtl", origin = body.getBoundingClientRect();
    var free = notes.map(function (note) {  // a folded note in a slot of its own that floats (not in code, nor in a table)
      var s = slot(note);
      // (nor one of two lines or more: a long verdict's, glossator.css)
      return s && !details(note).open && !s.closest(".slot-row") && !s.classList.contains("tall") && getComputedStyle(s).float !== "none" ? s : null;
    });
    var firsts = notes.map(function (note) { return slot(note) ? top(passage(note)) : null; });
    var runs = [];  // of each line, the folded notes before any open one (level with the line: an open note's own
    // slot pushes the rest down, and they stand each under the one before it, in the stack the reader opened)
    for (var i = 0; i < notes.length; ) {
      var j = i + 1, k = i;
      while (firsts[i] !== null && j < notes.length && firsts[j] !== null && Math.abs(firsts[j] - firsts[i]) < line / 2) j++;
      while (k < j && free[k]) k++;
      if (k - i >= 2) runs.push([i, k]);
      i = j;
    }
    var gap = 2, boxes = runs.map(function (run) {  // all read, then all written
      var r = free[run[0]].getBoundingClientRect(), n = run[1] - run[0];
      var rows = Math.min(2, Math.ceil(n / Math.max(1, Math.floor((r.width + gap) / (SHARE * rem + gap)))));
      return {left: r.left - origin.left, width: r.width, height: notes[run[0]].offsetHeight, n: n, rows: rows};
    });
    runs.forEach(function (run, k) {  // the slots first: a run's slots, shrunk, move up the lines, and the runs, below
      var box = boxes[k];
      for (var m = 1; m < box.n; m++) { free[run[0] + m].style.height = "0px"; free[run[0] + m].style.margin = "0px"; }
      free[run[0]].style.height = box.rows * (box.height + 1) - 1 + "px";
    });
    var tops = runs.map(function (run) { return free[run[0]].getBoundingClientRect().top - origin.top; });
    runs.forEach(function (run, k) {
      var box = boxes[k], rows = box.rows, cols = Math.ceil(box.n / rows), w = (box.width - (cols - 1) * gap) / cols;
      for (var m = 0; m < box.n; m++) {
        var note = notes[run[0] + m], col = Math.floor(m / rows), row = m % rows;
        note.classList.add("side");
        note.style.width = w + "px";
        note.style.left = box.left + (rtl ? box.width - w - col * (w + gap) : col * (w + gap)) + "px";
        note.style.right = "auto";
        note.style.top = tops[k] + row * (box.height + 1) + "px";
      }
    });
  }
  // A note as the page has it: open if the reader opened it, else folded, nowhere packed or cut.
  function unset(note) {
    note.classList.remove("clipped", "packed", "snug", "side");
    note.style.maxHeight = note.style.minHeight = note.style.top = note.style.left = note.style.right = note.style.width = "";
    details(note).open = note.getAttribute("data-pinned") === "open";
    var s = slot(note);
    if (s) s.style.height = s.style.margin = "";
  }
  // What a note open at y does (the one rule, on wide screens): it stays open when it ends before the next
  // note's passage starts, so that no note is pushed away from its passage, or when the reader opened it (in
  // full: the notes below move down under it, CSS: --prev); else it shows what fits, at least four lines
  // (clipped), or folds to one line. Returns the height it then has, or null when it folds.
  function fit(note, i, y, height, room, line) {
    var space = room(i, y), d = details(note);
    if (height <= space || note.getAttribute("data-pinned")) return height;
    if (space >= 4 * line) {
      note.classList.add("clipped");
      note.style.maxHeight = space + "px";
      return space;
    }
    d.open = false;
    return null;
  }
  // Opening a note moves every note below it, so trying them one by one takes a layout of the page each: on
  // an article with 180 notes, seconds. Instead, every note's height open and folded is read at once, where
  // each one lands is worked out as CSS places it (level with its passage, 0.2rem above its first line, or 1px
  // under the note before it), and the choices are written at once. Returns how many notes landed where
  // worked out: from the first that did not (a browser that places notes otherwise), they are tried one by one.
  function predict(room, line) {
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var levels = notes.map(function (note) { return passage(note).getBoundingClientRect().top - 0.2 * rem; });
    var folded = notes.map(function (note) { return note.getBoundingClientRect().height; });
    notes.forEach(function (note) { if (note.getAttribute("data-pinned") !== "closed") details(note).open = true; });
    var opened = notes.map(function (note) { return note.getBoundingClientRect().height; });
    var at = [], below = -Infinity;
    notes.forEach(function (note, i) {
      var y = at[i] = Math.max(levels[i], below + 1), h = folded[i];
      if (note.getAttribute("data-pinned") !== "closed") {
        var kept = fit(note, i, y, opened[i], room, line);
        if (kept !== null) h = kept;
      }
      below = y + h;
    });
    for (var i = 0; i < notes.length; i++) {
      if (Math.abs(notes[i].getBoundingClientRect().top - at[i]) > 1) return i;
    }
    return notes.length;
  }
  function settle(from, room, line) {
    for (var i = from; i < notes.length; i++) unset(notes[i]);
    for (i = from; i < notes.length; i++) {
      var note = notes[i];
      if (note.getAttribute("data-pinned") === "closed") continue;
      details(note).open = true;
      var box = note.getBoundingClientRect();
      fit(note, i, box.top, box.height, room, line);
    }
  }
  // Folded notes whose passages start on one line sit side by side, in rows, when stacked they would
  // end below the next passage's line (and push every later note away from its passage). A note the
  // reader closed is folded too, and packs again: its rows stay rows (audit read8 F1).
  function pack(line, firsts) {
    var folded = function (note) { return note && !details(note).open; };
    for (var i = 0; i < notes.length; ) {
      var j = i + 1;
      while (j < notes.length && folded(notes[i]) && folded(notes[j]) &&
             Math.abs(firsts[j] - firsts[i]) < line / 2) j++;
      var group = notes.slice(i, j), after = j < notes.length ? firsts[j] : null;
      if (group.length < 2) { i = j; continue; }
      var bottom = group[group.length - 1].getBoundingClientRect().bottom;
      if (after !== null ? bottom > after : bottom > firsts[i] + 2 * line) rows(group, after !== null ? after : Infinity);
      i = j;
    }
  }
  // A folded note alone on its line whose flag words wrap ("STATISTIC WITHOUT ANY / TRACEABLE SOURCE") is taller than
  // a line: level, it would reach past the next line's passage and push every later note down (heldout56's worksheet,
  // a passage a line: 6 of 11 notes level, the last 88 px low). Its flag words are then set close, as a packed row's
  // are, which a line holds. Heights all read, then classes all written: one layout.
  function tighten(firsts) {
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var tall = notes.map(function (note, i) {
      if (i + 1 >= notes.length || details(note).open || note.classList.contains("packed")) return false;
      return note.getBoundingClientRect().height > firsts[i + 1] - firsts[i] - 4 + 0.2 * rem;
    });
    notes.forEach(function (note, i) { if (tall[i]) note.classList.add("snug"); });
  }
  // A group's notes in rows as wide as the margin. A row holds the notes whose flag words, each at its
  // longest word, fit beside each other (a word is never cut to a stub: four notes on a line read
  // "UNVER", "ANONY", audit clipped-labels); the next notes start a row under it. In a row each note's
  // share is the width of its number and flag words on one line, and an equal part of what is left, so
  // that "Note" leaves room for "Anonymous sourcing" beside it (audit read8 F2); where they do not all fit
  // on one line, each has its longest word and a part of the rest as it lacks.
  function rows(group, limit) {
    var first = group[0], at = first.offsetTop, left = first.offsetLeft, full = first.offsetWidth;
    var widths = function (w) {  // each note's at that width, all set, then all read: one layout
      group.forEach(function (note) { note.style.width = w; });
      return group.map(function (note) { return Math.ceil(note.getBoundingClientRect().width) + 1; });
    };
    group.forEach(function (note) { note.classList.add("packed"); note.style.top = at + "px"; });
    var need = widths("max-content"), least = widths("min-content");
    var split = [], row = [], sum = 0;
    group.forEach(function (note, k) {
      if (row.length && sum + least[k] + 2 * row.length > full) { split.push(row); row = []; sum = 0; }
      row.push(k); sum += least[k];
    });
    split.push(row);
    split.forEach(function (row) {
      var spare = full - row.reduce(function (s, k) { return s + need[k] + 2; }, 0);
      var lack = row.reduce(function (s, k) { return s + need[k] - least[k]; }, 0);
      var rest = full - row.reduce(function (s, k) { return s + least[k] + 2; }, 0);
      var x = left;
      row.forEach(function (k) {
        var w = spare >= 0 ? need[k] + spare / row.length : least[k] + rest * (lack ? (need[k] - least[k]) / lack : 1 / row.length);
        group[k].style.left = x + "px";
        group[k].style.width = w + "px";
        x += w + 2;
      });
    });
    // each row under the one before it, its notes as tall as its tallest: the note after the group stands under its
    // last note (CSS: --prev), which, shorter than a note of two lines beside it, let that one reach 1.5 px into the
    // next note (heldout46's water deal, page47)
    var place = function () {
      group.forEach(function (note) { note.style.minHeight = ""; });
      var heights = group.map(function (note) { return Math.ceil(note.getBoundingClientRect().height); }), y = at;  // (not moved by their tops)
      split.forEach(function (row) {
        var tallest = Math.max.apply(null, row.map(function (k) { return heights[k]; }));
        row.forEach(function (k) { group[k].style.top = y + "px"; group[k].style.minHeight = tallest + "px"; });
        y += tallest + 1;
      });
    };
    place();
    // flag words wrap in a narrow share; where the taller rows would reach the next line's notes, on two
    // lines set close (snug), which a line of text holds (tests/sites/crowded: "ANONYMOUS SOU…" beside
    // "ANONYMOUS SOU…" in a 368 px row); where even that reaches them, the next notes go down a little. Never
    // cut: on one line with an ellipsis, "UNDISCLOSED CONFLI…" and "SOURCE ANONYME…" beside it hid both flags
    // (tests/sites/labels, page51)
    var low = function () { return Math.max.apply(null, group.map(function (note) { return note.getBoundingClientRect().bottom; })); };
    if (low() <= limit) return;
    group.forEach(function (note) { note.classList.add("snug"); }); place();
  }
  function later() {
    if (!queued) { queued = true; window.requestAnimationFrame(again); }
  }
  function again() {
    if (placed !== null && !narrow.matches && !printing &&
        placed === where(notes.map(function (note) { return top(passage(note)); }))) { queued = false; return; }
    layout();
  }
  function pin(note, open) {
    note.setAttribute("data-pinned", open ? "open" : "closed");
    details(note).open = open;
    layout();  // now, not at the next frame: what the reader clicks next is already where it stays
  }

  // The reader opens or closes a note with its summary; tapping a passage opens or closes its note.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("aside.note > details > summary");
    if (summary) {
      event.preventDefault();
      var note = summary.closest("aside.note");
      note.removeAttribute("data-focus-opened");  // opened by the reader's choice now: it stays
      pin(note, note.classList.contains("clipped") || !details(note).open);
      return;
    }
    if (event.target.closest && event.target.closest("a, button, summary")) return;
    var mark = event.target.closest && event.target.closest("mark[data-annotation]");
    var own = mark && document.getElementById("note-" + mark.getAttribute("data-annotation"));
    if (own) pin(own, !details(own).open);
  });

  // A note shown in part (clipped) opens in full when the reader tabs into it or clicks its summary.
  // Not when a click focuses a link in it: opening would move the link under the pointer before the
  // click lands (the clipped note may have been scrolled to show it), and the link leaves the page anyway.
  document.addEventListener("focusin", function (event) {
    var note = event.target.closest && event.target.closest("aside.note.clipped");
    if (note && !event.target.matches("summary") && event.target.matches(":focus-visible")) {
      pin(note, true);
      note.setAttribute("data-focus-opened", "");
      event.target.scrollIntoView({block: "nearest"});
    }
  });
  // A link in the site header's strip of flags (a phone's, which scrolls sideways) comes whole into
  // view when focused: the browser leaves one it shows in part as it is.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".site-head nav ul a")) {
      event.target.scrollIntoView({block: "nearest", inline: "nearest"});
    }
  });
  // ... and goes back to how it was when the keyboard leaves it, so that it never covers the next note
  document.addEventListener("focusout", function (event) {
    var note = event.target.closest && event.target.closest("aside.note[data-focus-opened]");
    if (note && !(event.relatedTarget && note.contains(event.relatedTarget))) {
      note.removeAttribute("data-focus-opened");
      note.removeAttribute("data-pinned");
      layout();
    }
  });

  // Following a link to a passage or a note opens that note.
  function openTarget() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var el = id && document.getElementById(id);
    if (!el) return;
    var note = el.matches("aside.note") ? el : el.matches("mark[data-annotation]") ? document.getElementById("note-" + id) : null;
    if (note && !details(note).open) pin(note, true);
  }
  window.addEventListener("hashchange", openTarget);

  // A passage in a code block or a table that scrolls sideways (audit read7 F9, closing note 11): the box
  // starts scrolled so that its first passage is in view, and brings a passage into view when its note or
  // its number gets the keyboard's focus. Only the box scrolls sideways, never the page; one already in
  // view stays put.
  var SIDEWAYS = ".article-body pre, .article-body .table-scroll";
  function reveal(mark) {
    var box = mark && mark.closest(SIDEWAYS);
    if (!box || box.scrollWidth <= box.clientWidth + 1) return;
    var r = firstLine(mark);
    if (!r) return;
    var b = box.getBoundingClientRect(), rtl = getComputedStyle(box).direction === "rtl";
    var from = b.left + box.clientLeft + (parseFloat(getComputedStyle(box).paddingLeft) || 0);  // the gutter keeps the number
    var to = b.left + box.clientLeft + box.clientWidth - 4;
    var lead = box.matches(".table-scroll") && mark.closest("tr").firstElementChild;  // a table's first column stays (glossator.css)
    if (lead && !lead.contains(mark)) {  // (on the right, right to left)
      if (rtl) to = Math.min(to, lead.getBoundingClientRect().left - 4); else from = Math.max(from, lead.getBoundingClientRect().right + 4);
    }
    var shift = 0;  // as little as shows it whole, or its start (its right end, right to left)
    if (rtl ? r.left < from : r.right > to) shift = rtl ? Math.max(r.left - from, r.right - to) : Math.min(r.right - to, r.left - from);
    else if (rtl ? r.right > to : r.left < from) shift = rtl ? r.right - to : r.left - from;
    if (Math.abs(shift) >= 1) box.scrollLeft += shift;
    if (lead) whole(box, mark, lead, rtl);
  }
  // A passage's first line, from its left end to its right (right to left, its first piece may be either)
  function firstLine(mark) {
    var rects = Array.prototype.filter.call(mark.getClientRects(), function (q) { return q.width > 0; });
    if (!rects.length) return null;
    var on = rects.filter(function (q) { return Math.abs(q.top - rects[0].top) < 2; });
    return {left: Math.min.apply(null, on.map(function (q) { return q.left; })), right: Math.max.apply(null, on.map(function (q) { return q.right; }))};
  }
  // ... and a table shows whole columns: one that lay partly under its kept first column comes whole into view beside
  // it, or, where that would push the passage out of the box, goes wholly under it. Scrolled to its end, a table
  // showed "1%" for "71%" beside its years (labels' water at 1280 px, page52). Where the box ends before that, the
  // passage comes first: it stays as it is. (Right to left, scrollLeft runs from 0 down, the same way on the screen:
  // a cell's start is its right edge there.)
  function whole(box, mark, lead, rtl) {
    var b = box.getBoundingClientRect(), edge = rtl ? lead.getBoundingClientRect().left : lead.getBoundingClientRect().right;
    var cells = Array.prototype.slice.call(lead.parentNode.children, 1);
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i].getBoundingClientRect();
      if (c.left >= edge - 1 || c.right <= edge + 1) continue;
      var back = (rtl ? c.right : c.left) - edge, on = (rtl ? c.left : c.right) - edge;
      var r = mark.getBoundingClientRect(), from = b.left + box.clientLeft, to = from + box.clientWidth;  // (all its lines)
      var end = box.scrollWidth - box.clientWidth, x = box.scrollLeft + on;
      if (cells[i].contains(mark) || (rtl ? r.left - back >= from - 1 : r.right - back <= to + 1)) box.scrollLeft += back;
      else if (rtl ? x >= -end - 1 : x <= end + 1) box.scrollLeft += on;
      return;
    }
  }
  function revealFirst() {
    if (!body) return;
    body.querySelectorAll("pre, .table-scroll").forEach(function (box) { reveal(box.querySelector("mark.passage[id]")); });
    window.requestAnimationFrame(resnap);
  }
  // On a narrow screen a note of a passage in a table stands in its slot, in the row over the passage's row (anchor()).
  // Chromium may keep the place it read while the table was scrolling to its first passage by itself
  // (scroll-initial-target, before the script scrolled it back to show whole columns): three notes under a table of
  // prices began 39 px left of a phone's screen, their first letters cut, on most loads (heldout61). Shown again a frame
  // later, such a note reads its slot's place anew; a note already in its slot is left alone.
  function resnap() {
    if (!narrow.matches) return;
    var off = notes.filter(function (note) {
      var s = slot(note);
      return s && s.closest(".slot-row") && Math.abs(s.getBoundingClientRect().left - note.getBoundingClientRect().left) > 1;
    });
    if (!off.length) return;
    off.forEach(function (note) { note.style.display = "none"; });
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () { off.forEach(function (note) { note.style.display = ""; }); });
    });
  }
  document.addEventListener("focusin", function (event) {
    var el = event.target.closest && event.target.closest("aside.note, pre a.noteref, .table-scroll a.noteref");
    if (!el) return;
    reveal(el.matches("aside.note") ? passage(el) : document.getElementById(el.id.replace(/^ref-/, "")));
  });

  // The summary box's long list of counts is folded on a phone and open on wider screens (glossator.css
  // shows it there whatever its state): its state follows, so that it says what the reader sees.
  var phone = window.matchMedia("(max-width: 40rem)");
  function folds() {
    document.querySelectorAll("details.summary-fold:not(.links-fold)").forEach(function (fold) { fold.open = !phone.matches; });
  }
  if (phone.addEventListener) phone.addEventListener("change", folds);

  openTarget();
  layout();
  revealFirst();
  folds();
  if (narrow.addEventListener) narrow.addEventListener("change", later); else narrow.addListener(later);
  if (narrow.addEventListener) narrow.addEventListener("change", revealFirst);  // the boxes' widths change
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  // the shipped face widens the columns: lay the notes out again, and bring the first passage back into view
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { later(); revealFirst(); });

  // Printing shows every note, opened, as numbered endnotes after the article; the page is put
  // back as it was afterwards.
  var endnotes = null, homes = [], wasOpen = [];
  window.addEventListener("beforeprint", function () {
    printing = true;
    wasOpen = notes.map(function (note) { return details(note).open; });
    // each note as the page has it, not as placed on screen: a note packed in a row, or side by side on a phone,
    // printed as wide as its share of the row (182 px, 78 px), its words in a narrow column
    notes.forEach(unset);
    notes.forEach(function (note) { details(note).open = true; });
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
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    if (endnotes) {
      for (var i = homes.length - 1; i >= 0; i--) homes[i][1].insertBefore(homes[i][0], homes[i][2]);
      endnotes.remove();
      endnotes = null;
    }
    notes.forEach(function (note, i) { details(note).open = wasOpen[i]; });
    placed = null;  // (every note was unset for print)
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

  // Previews: a cross-link shows the other passage (its flags, quote and the start of its note)
  // on hover and on keyboard focus; Escape dismisses it.
  var shown = null, shownBy = null;
  function preview(link, on) {
    var id = link && link.getAttribute("aria-describedby");
    var box = id && document.getElementById(id);
    if (!box || !box.classList.contains("preview")) return;
    if (shown && shown !== box) shown.hidden = true;
    box.hidden = !on;
    shown = on ? box : null;
    shownBy = on ? link : null;
    if (on) {  // fixed, so that no clipped note cuts it; below the link, or above when there is no room
      var r = link.getBoundingClientRect();
      box.style.position = "fixed";
      box.style.left = Math.max(8, Math.min(r.left, window.innerWidth - box.offsetWidth - 8)) + "px";
      box.style.top = (r.bottom + box.offsetHeight + 8 > window.innerHeight ? Math.max(8, r.top - box.offsetHeight - 6) : r.bottom + 6) + "px";
    }
  }
  function previewHandler(on) {
    return function (event) {
      var link = event.target.closest && event.target.closest("li.xlink a[aria-describedby]");
      if (link) preview(link, on);
    };
  }
  document.addEventListener("mouseover", previewHandler(true));
  document.addEventListener("mouseout", previewHandler(false));
  document.addEventListener("focusin", previewHandler(true));
  document.addEventListener("focusout", previewHandler(false));
  // Escape closes the note the keyboard is in (a preview first, when one shows), and the focus goes back to the
  // note's first line, from which it opened: nothing else closed it but a click on that line (audit page42)
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (shown) { shown.hidden = true; shown = null; return; }
    var note = event.target.closest && event.target.closest("aside.note");
    if (!note || !details(note).open || printing) return;
    note.removeAttribute("data-focus-opened");
    pin(note, false);
    note.querySelector("summary").focus();
  });
  window.addEventListener("scroll", function () { if (shown && shownBy) preview(shownBy, true); }, {passive: true});

  // On a narrow screen each note stands under its passage's line (a table's, in a row right over its passage's row),
  // but in the page it comes after its whole paragraph: Tab went through every number of a paragraph, then back up to
  // its first note. There, Tab and Shift+Tab go through the text in the order the reader sees it: what is on a line
  // (its numbers, its links), then the notes under it. Past the text's ends, the browser's own order goes on.
  var FOCUSABLE = "a[href], summary, button, input, select, textarea, [tabindex]";
  function reach(root, self) {
    var all = Array.prototype.slice.call(root.querySelectorAll(FOCUSABLE));
    if (self && root.matches(FOCUSABLE)) all.unshift(root);  // a code block or a table's box, which scrolls
    return all.filter(function (el) {
      return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length && (!el.checkVisibility || el.checkVisibility());
    });
  }
  function seen(block) {  // a block's elements, each of its notes before the first of them below its top
    var text = reach(block, true), list = block.nextElementSibling, order = [], k = 0;
    if (list && list.matches(".notes")) Array.prototype.forEach.call(list.querySelectorAll(":scope > aside.note"), function (note) {
      var y = note.getBoundingClientRect().top;
      while (k < text.length && top(text[k]) < y) order.push(text[k++]);
      order.push.apply(order, reach(note));
    });
    return order.concat(text.slice(k));
  }
  function step(block, back) {  // the block before or after, its notes passed over
    do { block = back ? block.previousElementSibling : block.nextElementSibling; } while (block && block.matches(".notes"));
    return block;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey || !narrow.matches || !body || printing) return;
    var el = document.activeElement, back = event.shiftKey;
    if (!el || !body.contains(el)) return;
    var block = el;
    while (block.parentNode !== body) block = block.parentNode;
    if (block.matches(".notes")) block = block.previousElementSibling;
    var order = seen(block), i = order.indexOf(el);
    if (i < 0) return;
    var next = order[i + (back ? -1 : 1)];
    for (var b = step(block, back); !next && b; b = step(b, back)) {  // (only the blocks it looks at are measured: a
      // page of 400 notes took 2 s a Tab when the whole text was)
      var o = seen(b);
      next = back ? o[o.length - 1] : o[0];
    }
    if (next) { event.preventDefault(); next.focus(); return; }
    var list = block.nextElementSibling, page = reach(block, true).concat(list && list.matches(".notes") ? reach(list) : []);
    var edge = back ? page[0] : page[page.length - 1];
    if (edge && edge !== el) edge.focus();  // (not prevented: past the text, Tab goes on from there)
  });

  // Next and previous flagged passage, from wherever the reader is (the notes link them too).
  var steps = document.querySelector(".flag-steps");
  if (steps) {
    steps.hidden = false;
    steps.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-step]");
      if (!button) return;
      var forward = button.getAttribute("data-step") === "1";
      var line = window.innerHeight * 0.2;
      var flagged = Array.prototype.filter.call(document.querySelectorAll("mark.passage[id]"), function (m) {
        return m.getAttribute("data-flags") !== "";
      });
      var to = null;
      flagged.forEach(function (m) {
        var y = top(m);
        if (forward && !to && y > line + 2) to = m;
        if (!forward && y < line - 2) to = m;
      });
      if (!to) to = forward ? flagged[0] : flagged[flagged.length - 1];
      if (to) location.hash = to.id;
    });
  }

  // The minimap's "you are here": the part of the article in view, as a band on the strip.
  var strip = document.querySelector(".minimap ol");
  if (strip && body) {
    var band = document.createElement("li");
    band.className = "here";
    band.setAttribute("aria-hidden", "true");
    strip.appendChild(band);
    var here = function () {
      // the whole strip in the window: from where it starts (lower down before it pins) to the window's
      // foot, or to the flag steps' buttons where they stand over it (on a phone)
      var m = strip.getBoundingClientRect(), bottom = window.innerHeight - 16;
      if (steps && !steps.hidden) {
        var s = steps.getBoundingClientRect();
        if (s.height && s.left < m.right + 8 && m.left - 8 < s.right) bottom = Math.min(bottom, s.top - 8);
      }
      strip.style.height = "min(" + Math.max(bottom - Math.max(m.top, 0), 64) + "px, 100%)";
      var r = body.getBoundingClientRect();
      var h = Math.max(r.height, 1);
      var from = Math.min(Math.max(-r.top / h, 0), 1), to = Math.min(Math.max((window.innerHeight - r.top) / h, 0), 1);
      band.style.top = (100 * from) + "%";
      band.style.height = Math.max(100 * (to - from), 1) + "%";
    };
    window.addEventListener("scroll", here, {passive: true});
    window.addEventListener("resize", here);
    here();
  }
})();
