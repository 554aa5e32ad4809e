// The search page: the index `glossator build` writes (builder/search.py), read in the browser. Each
// article found lists the passages (and notes) where the words occur, each linking to its place.
// Without script the page lists the flag and tag pages instead.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const filtersBox = document.querySelector(".search-filters");
const statusLine = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const GROUPS = [["flag", "Flags"], ["tag", "Tags"], ["verdict", "Verdicts"]];
const SCANNED = 1000;  // with filters, at most this many articles' passages are read for one search
let meta = null;  // the index's meta.json: {stem, pages: [words of each page], filters: {name: {value: [pages]}}, shards}
let latest = 0;
const loaded = new Map();  // path in the index -> the promise of its JSON

function load(path) {
  if (!loaded.has(path)) {
    loaded.set(path, fetch(form.dataset.index + path).then((r) => {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    }));
  }
  return loaded.get(path);
}

// Words as the index splits them (builder/search.py: terms with query=True, and stem, which this must follow): runs of
// letters, digits and combining marks ("_" parts words) of the text in NFC, lower-cased, accents dropped, of one character
// or more; in English, a plural's ending removed; in scripts written without spaces, each two characters in a row (a lone
// one on its own); a number with points or commas between its digits ("3.3", "4,200") whole, for the words inside it.
function stem(term) {
  const length = Array.from(term).length;  // in characters, as Python counts them
  if (meta.stem !== "en" || length < 4 || !term.endsWith("s")) return term;
  if (term.endsWith("ies") && length > 4) return term.slice(0, -3) + "y";
  if (/(sses|xes|zes|ches|shes)$/.test(term)) return term.slice(0, -2);
  if (/(ss|us|is)$/.test(term)) return term;
  return term.slice(0, -1);
}

const UNSPACED = new RegExp("([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff" +
  "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u{20000}-\u{3ffff}]+)", "u");  // anchoring.UNSPACED

// Each character in its plain form (NFKC: "NO₂" is "no2", µ is μ), lower-cased, without accents and vowel points
// (builder/search.py: fold, compatible): "Naïve" and "naive" are one word. Nor
// break hints (soft hyphen, zero-width space, word joiner, BOM: anchoring.BREAK_HINTS), which a reader never types.
// Latin letters a reader types as plain ones ("Strasse", "Aydin" for "Straße", "Aydın"): builder/slugs.py's PLAIN
const PLAIN = { "ß": "ss", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "\u02bc": "'" };
const MICRO = /\u03bc(?=[a-z])/g;  // a unit's µ, typed "u" ("ug/m3" for "µg/m³"): builder/search.py's _MICRO
function fold(text) {
  return text.normalize("NFKC").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u00ad\u200b\u2060\ufeff]/g, "").normalize("NFC")
    .replace(/[ßıłøđħæœ\u02bc]/g, (c) => PLAIN[c]).replace(MICRO, "u");
}

// An Arabic word without its article, joined to it ("المجلس" → "مجلس"), or null (builder/search.py: without_article)
const ARTICLE = /^[\u0648\u0641\u0628\u0643]?\u0627\u0644|^[\u0648\u0641]?\u0644\u0644/u;
function withoutArticle(word) {
  const found = ARTICLE.exec(word);
  return found && Array.from(word).length - found[0].length > 1 ? word.slice(found[0].length) : null;
}

// a word: "§", "¶" or "‰", each alone ("§ 12", "¶ 2"), or a run of letters, digits and marks (builder/search.py: _word)
const WORD = /[§¶‰]|[\p{L}\p{N}\p{M}]+/gu;

const NUMBER = /\p{Nd}+(?:[.,:/\u2044]\p{Nd}+)+/gu;  // builder/search.py: _NUMBER ("3.3" is not every page with a "3"; "2:1", "½")

// [[as written, as indexed], …]: "cartels" is ["cartels", "cartel"]; an Arabic word with its article, then without;
// "3.3" is ["3.3", "3.3"], and its "3"s are not looked for again
function terms(text) {
  const found = [];
  const folded = fold(text);
  const numbers = Array.from(folded.matchAll(NUMBER), (m) => [m.index, m.index + m[0].length]);
  let number = 0;
  for (const match of folded.matchAll(WORD)) {
    const [token] = match, start = match.index, end = start + token.length;
    for (; number < numbers.length && numbers[number][0] < end; number++) {
      const whole = folded.slice(numbers[number][0], numbers[number][1]);
      found.push([whole, whole]);
    }
    if (numbers.some(([left, right]) => left <= start && end <= right)) continue;
    token.split(UNSPACED).forEach((run, i) => {
      const chars = Array.from(run);
      if (i % 2 === 0) {
        if (chars.length) found.push([run, stem(run)]);
        const without = chars.length > 1 && withoutArticle(run);
        if (without) found.push([without, stem(without)]);
      } else if (chars.length === 1) {
        found.push([run, run]);
      } else {
        for (let j = 0; j + 1 < chars.length; j++) found.push([chars[j] + chars[j + 1], chars[j] + chars[j + 1]]);
      }
    });
  }
  return found;
}

function shardOf(term) {
  const two = Array.from(term).slice(0, 2).join("");
  return "t/" + Array.from(new TextEncoder().encode(two), (b) => b.toString(16).padStart(2, "0")).join("") + ".json";
}

// A query word's other writing, looked up beside it; null for most. A whole number with its thousands grouped by commas
// or not: "4,200" for "4200", "4200" for "4,200" (a reader types either; the index holds each as written). On a German
// site (the page's lang), "ae", "oe" and "ue" as the umlauts they stand for, which the index holds without their dots
// ("Fernwaerme" for "Fernwärme", indexed "fernwarme").
const GERMAN = /^de(?:-|$)/i.test(document.documentElement.lang);

function otherWriting(own) {
  if (/^[0-9]{1,3}(?:,[0-9]{3})+$/.test(own)) return own.replace(/,/g, "");
  if (/^[1-9][0-9]{3,}$/.test(own)) return own.replace(/\B(?=(?:[0-9]{3})+$)/g, ",");
  if (GERMAN && /[aou]e/.test(own)) return own.replace(/([aou])e/g, "$1");
  return null;
}

// A word of the query finds its own term (and its other writing), and (as one types) the terms it begins: "pac" finds
// "pact". A word of one character finds itself only, as its shard holds no other term ("a" is not every word that
// begins with "a").
function matcher([raw, own]) {
  const begins = Array.from(raw).length > 1, other = otherWriting(own);
  return (term) => (term === own || term === other ? 1
    : begins && (term.startsWith(raw) || (other !== null && term.startsWith(other))) ? 0.5 : 0);
}

const K1 = 1.2, B = 0.75;  // BM25: how much repeats count, and how much a long page's count is discounted

// The pages holding every word (each word: page -> its weighted count), ranked by BM25.
async function find(words) {
  const n = meta.pages.length;
  const average = meta.pages.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  // every word's shard at once (a Japanese sentence is dozens of terms); a shard missing: no term begins so
  const shardFor = (term) => {
    const path = shardOf(term);
    return meta.shards && !meta.shards.includes(path.slice(2, -5)) ? {} : load(path).catch(() => ({}));
  };
  const shards = await Promise.all(words.map(async (word) => {
    const other = otherWriting(word[1]);  // ("4200" and "4,200" begin different shards)
    return other ? { ...(await shardFor(other)), ...(await shardFor(word[1])) } : shardFor(word[1]);
  }));
  let scores = null;
  for (const [w, word] of words.entries()) {
    const match = matcher(word);
    const shard = shards[w];
    const counts = new Map();
    for (const [term, posting] of Object.entries(shard)) {
      const weight = match(term);
      if (!weight) continue;
      for (let i = 0; i < posting.length; i += 2) counts.set(posting[i], (counts.get(posting[i]) || 0) + weight * posting[i + 1]);
    }
    const idf = Math.log(1 + (n - counts.size + 0.5) / (counts.size + 0.5));
    const next = new Map();
    for (const [doc, tf] of counts) {
      if (scores && !scores.has(doc)) continue;
      const part = idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * meta.pages[doc] / average));
      next.set(doc, (scores ? scores.get(doc) : 0) + part);
    }
    scores = next;
  }
  return scores || new Map();
}

// The pages every chosen filter holds (any of its chosen values); null: no filter chosen.
function filtered(filters) {
  let pages = null;
  for (const [name, { any }] of Object.entries(filters)) {
    const these = new Set();
    for (const value of any) for (const doc of (meta.filters[name] || {})[value] || []) these.add(doc);
    pages = pages ? new Set([...pages].filter((doc) => these.has(doc))) : these;
  }
  return pages;
}

// A found page, as the results read it: its fragment, with where the words occur in its content.
async function page(doc, words) {
  const matchers = words.map(matcher);
  const data = { ...(await load("f/" + doc + ".json")) };
  data.url = form.dataset.root + data.url;
  data.locations = [];
  data.matches = (w) => terms(w).some(([, own]) => matchers.some((m) => m(own)));  // (a title's words are marked too)
  if (words.length) data.locations = places(data.content, words);
  return data;
}

// Where in the content (its words' numbers) the query's `words` are: where they occur together, in the query's order
// ("Ground (a)", "para 12", "B-52"), only there, or a word as common as "a" or "12" would list every passage that
// holds it; where they never do, wherever each is, but for words of one character beside longer ones ("1.2(a)": where
// "1.2" is, not every "a").
function places(content, words) {
  const stream = [];  // the content's terms, each with the number of its word
  content.split(/\s+/).filter((w) => w.length).forEach((w, i) => { for (const [, own] of terms(w)) stream.push([own, i]); });
  const matchers = words.map(matcher);
  const together = new Set();
  for (let p = 0; words.length > 1 && p + words.length <= stream.length; p++) {
    if (matchers.every((m, k) => m(stream[p + k][0]))) for (let k = 0; k < words.length; k++) together.add(stream[p + k][1]);
  }
  if (together.size) return [...together].sort((a, b) => a - b);
  const long = words.filter(([raw]) => Array.from(raw).length > 1).map(matcher);
  const each = long.length ? long : matchers;
  return [...new Set(stream.filter(([own]) => each.some((m) => m(own))).map(([, i]) => i))];
}

async function search(term, filters) {
  const words = term ? terms(term) : [];
  const only = filtered(filters);
  let ranked;
  if (words.length) {
    const scores = await find(words);
    ranked = [...scores].filter(([doc]) => !only || only.has(doc)).sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc]) => doc);
  } else {
    ranked = term ? [] : [...(only || [])].sort((a, b) => a - b);
  }
  return { results: ranked.map((doc) => ({ data: () => page(doc, words) })) };
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

// Where each passage and note lies in the page's words: a passage runs from its first <mark>
// (id X) for as many words as the page's "passages" metadata says; a note from its <aside>
// (id note-X) to its end marker (id X.end).
function regions(anchors, meta) {
  const length = {};
  for (const pair of ((meta && meta.passages) || "").split(" ")) {
    const [id, n] = pair.split(":");
    if (id) length[id] = Number(n);
  }
  const at = {};
  for (const a of anchors) at[a.id] = a.location;
  const out = [];
  for (const a of anchors) {
    if (a.element === "mark" && a.id in length) {
      out.push({ id: a.id, kind: "passage", start: a.location, end: a.location + length[a.id] });
    } else if (a.element === "aside" && a.id.startsWith("note-")) {
      const id = a.id.slice(5);
      if ((id + ".end") in at) out.push({ id, kind: "note", start: a.location, end: at[id + ".end"] });
    }
  }
  return out;
}

// The innermost passage or note holding a word, or null for the running text.
function regionOf(location, all) {
  let best = null;
  for (const r of all) {
    if (r.start <= location && location < r.end && (!best || r.start >= best.start)) best = r;
  }
  return best;
}

// A word found, marked: without the punctuation the index's word carries ("years." marks "years"); in a script written
// without spaces, where a word is a whole clause, only the characters the query found ("客流" in "商铺客流减少了三成");
// in a word of over LONG characters (an address), only its parts found ("utm_source" in "https://…?utm_source=radio&…",
// "10.5555" in "doi:10.5555/juaq.2026.0411": a number with its points is one part, as terms() reads it).
const LONG = 24;
const EDGES = /^([^§¶‰\p{L}\p{N}\p{M}]*)(.*?)([^§¶‰\p{L}\p{N}\p{M}]*)$/su;  // (a sign is a word: WORD)
function edged(w) {  // the word marked, the punctuation at its edges left out
  const [, before, word, after] = EDGES.exec(w);
  return word ? [before, el("mark", {}, word), after] : [el("mark", {}, w)];
}
function marked(w, matches) {
  if (!UNSPACED.test(w) && Array.from(w).length > LONG) {
    const parts = w.split(/(\p{Nd}+(?:[.,]\p{Nd}+)+|[§¶‰]|[\p{L}\p{N}\p{M}]+)/u)
      .map((part, k) => (k % 2 && matches(part) ? el("mark", {}, part) : part));
    if (parts.some((part) => typeof part !== "string")) return parts;
  }
  if (!UNSPACED.test(w)) return edged(w);
  const out = [];
  w.split(UNSPACED).forEach((run, k) => {
    if (k % 2 === 0) {  // a word of a spaced script inside ("PM2.5" in "（PM2.5）"): as above, where the query found it
      const word = EDGES.exec(run)[2];
      out.push(...(word && matches(word) ? edged(run) : [run]));
      return;
    }
    const c = Array.from(run), hit = c.map(() => false);  // each two characters in a row, as terms() reads them
    if (c.length === 1) hit[0] = matches(run);
    for (let j = 0; j + 1 < c.length; j++) if (matches(c[j] + c[j + 1])) hit[j] = hit[j + 1] = true;
    for (let i = 0, j = 0; i < c.length; i = j) {
      while (j < c.length && hit[j] === hit[i]) j++;
      out.push(hit[i] ? el("mark", {}, c.slice(i, j).join("")) : c.slice(i, j).join(""));
    }
  });
  return out;
}

function excerpt(words, hits, from, to, matches) {
  const lo = Math.max(from, Math.min(...hits) - 12);
  const hi = Math.min(to, lo + 36);
  const p = el("p", { class: "search-excerpt" });
  if (lo > from) p.append("… ");
  for (let i = lo; i < hi; i++) {
    if (i > lo && !/^[.,;:!?)\]”’]+$/.test(words[i])) p.append(" ");  // the index splits "pact." at a note reference
    p.append(...(hits.includes(i) ? marked(words[i], matches) : [words[i]]));
  }
  if (hi < to) p.append(" …");
  return p;
}

// Which of an article's passages the chosen filters name: every chosen filter has one of its
// values on the passage (the article's own flags count for each of its passages). null: no filter.
// `whole`: the article as a whole carries them (id ""): all of its text matches, passages or not.
function narrowedTo(meta, filters) {
  const names = Object.keys(filters);
  if (!names.length) return null;
  let each = {};
  try { each = JSON.parse((meta && meta.passage_filters) || "{}"); } catch (error) { return null; }
  const ids = new Set();
  for (const [id, values] of Object.entries(each)) {
    if (names.every((name) => (values[name] || []).some((v) => filters[name].any.includes(v)))) ids.add(id);
  }
  ids.whole = ids.has("");
  return ids;
}

function quoted(quote) {
  // the index's words carry the punctuation that follows them ("pact."): not part of the quote
  return "“" + quote.slice(0, 8).join(" ").replace(/[.,;:!?]+$/, "") + (quote.length > 8 ? " …" : "") + "”";
}

function showResult(data, filters) {
  const words = data.content.split(/\s+/).filter((w) => w.length);
  const all = regions(data.anchors || [], data.meta);
  const only = narrowedTo(data.meta, filters);
  const groups = new Map();
  const plain = [];
  for (const location of data.locations) {
    const r = regionOf(location, all);
    if (only && !only.whole && !(r && only.has(r.id))) continue;  // filtered: only the passages (and their notes) it names
    if (!r) { plain.push(location); continue; }
    const key = r.kind + ":" + r.id;
    if (!groups.has(key)) groups.set(key, { region: r, hits: [] });
    groups.get(key).hits.push(location);
  }
  const title = (data.meta && data.meta.title) || data.url;
  // the title's words found marked, as the excerpts' are: an article may be found by its headline alone
  const named = title.split(/(\s+)/).flatMap((w) => {
    if (!w.trim() || !data.matches || !data.matches(w)) return [w];
    return marked(w, data.matches);  // (as excerpts mark)
  });
  const item = el("li", { class: "search-result" }, el("h2", {}, el("a", { href: data.url }, ...named)));
  const flags = (data.filters && data.filters.flag) || [];
  if (flags.length) item.append(el("p", { class: "flags-line" }, "Flags in this article: " + flags.join(", ")));
  const passages = {};
  for (const r of all) if (r.kind === "passage") passages[r.id] = words.slice(r.start, r.end);
  const subs = el("ul", { class: "search-subresults" });
  for (const { region, hits } of groups.values()) {
    const named = quoted(passages[region.id] || []);
    const where = region.kind === "passage" ? "In the passage " + named : "In the note on " + named;
    const href = data.url + "#" + (region.kind === "passage" ? region.id : "note-" + region.id);
    subs.append(el("li", { class: "search-sub", "data-region": region.kind },
      el("a", { href }, where + " →"), excerpt(words, hits, region.start, region.end, data.matches)));
  }
  if (only && only.whole && !data.locations.length) {
    // the filters alone, carried by the article as a whole ("Rebutted" by another article): the article
    subs.append(el("li", { class: "search-sub", "data-region": "article" },
      el("a", { href: data.url }, "The whole article (" + Object.keys(filters).map((n) => filters[n].any.join(", ")).join("; ") + ") →")));
  } else if (only && !data.locations.length) {
    // the filters alone: the passages they name, in the order of the text
    for (const r of all) {
      if (r.kind === "passage" && only.has(r.id)) {
        subs.append(el("li", { class: "search-sub", "data-region": "passage" },
          el("a", { href: data.url + "#" + r.id }, "The passage " + quoted(passages[r.id] || []) + " →")));
      }
    }
  }
  if (plain.length) {
    // the running text around the first hit, without the notes on either side
    const notes = all.filter((r) => r.kind === "note");
    const from = Math.max(0, ...notes.filter((r) => r.end <= plain[0]).map((r) => r.end));
    const to = Math.min(words.length, ...notes.filter((r) => r.start > plain[0]).map((r) => r.start));
    subs.append(el("li", { class: "search-sub", "data-region": "text" },
      el("a", { href: data.url + textFragment(words, plain[0], from, to) }, "In the text →"),
      excerpt(words, plain.filter((h) => h >= from && h < to), from, to, data.matches)));
  }
  if (subs.children.length) item.append(subs);
  return item;
}

// A text fragment that leads the browser to the word found, with the words beside it to tell it from
// others like it: "#:~:text=the-,cartels,-formed". Where they do not match the page, it opens at the top.
function textFragment(words, at, from, to) {
  const part = (w) => encodeURIComponent(w).replace(/-/g, "%2D");
  return "#:~:text=" + (at > from ? part(words[at - 1]) + "-," : "") + part(words[at]) +
    (at + 1 < to ? ",-" + part(words[at + 1]) : "");
}

function chosenFilters() {
  const chosen = {};
  for (const box of filtersBox.querySelectorAll("input:checked")) {
    (chosen[box.name] = chosen[box.name] || { any: [] }).any.push(box.value);
  }
  return chosen;
}

async function run() {
  const mine = ++latest;
  const term = input.value.trim();
  const filters = chosenFilters();
  const filtering = Object.keys(filters).length > 0;
  if (!term && !filtering) {
    list.replaceChildren();
    statusLine.textContent = "";
    return;
  }
  const found = await search(term || null, filters);
  if (mine !== latest) return;
  // With filters, an article matches only where one passage carries them all (and holds the words): the
  // index knows the article's filters, not each passage's, so its results are read until 50 match.
  let items = [], read = 0;
  while (read < found.results.length && items.length < 50 && read < SCANNED) {
    const shown = await Promise.all(found.results.slice(read, read + 50).map((r) => r.data()));
    if (mine !== latest) return;
    read += shown.length;
    let batch = shown.map((data) => showResult(data, filters));
    if (filtering) batch = batch.filter((item) => item.querySelector(".search-subresults"));
    items.push(...batch);
    if (!filtering) break;
  }
  items = items.slice(0, 50);
  list.replaceChildren(...items);
  const unread = filtering && read < found.results.length;  // some results not read: there may be more
  const n = filtering ? items.length : found.results.length;
  const what = (term ? "“" + term + "”" : "the filters") +
    (filtering && term ? " in a passage (or its note) with the filters chosen" : "");
  // filters alone list passages: say how many (in the articles shown)
  const passages = filtering && !term ? list.querySelectorAll(".search-sub[data-region=passage]").length : 0;
  statusLine.textContent = (n === 0 ? "No article matches " : n + (unread ? " or more" : "") + (n === 1 && !unread ? " article matches " : " articles match ")) + what +
    (passages ? ", with " + passages + (passages === 1 ? " passage" : " passages") : "") +
    (n >= 50 && (unread || found.results.length > 50) ? "; the first 50 are shown." : ".");
}

async function start() {
  try {
    meta = await load("meta.json");
  } catch (error) {
    statusLine.textContent = "The search index could not be loaded (" + error.message + "). Browse the flag and tag pages below.";
    return;
  }
  for (const [name, legend] of GROUPS) {
    const values = Object.entries(meta.filters[name] || {}).map(([v, pages]) => [v, pages.length]).sort((a, b) => a[0].localeCompare(b[0], document.documentElement.lang || undefined));
    if (!values.length) continue;
    const set = el("fieldset", { class: "search-filter", "data-filter": name }, el("legend", {}, legend));
    values.forEach(([value, count], i) => {
      const id = "f-" + name + "-" + i;
      set.append(el("span", { class: "search-choice" },
        el("input", { type: "checkbox", id, name, value }), " ",
        el("label", { for: id }, value + " (" + count + ")")));
    });
    filtersBox.append(set);
  }
  document.querySelector(".search-nojs").hidden = true;
  // on a phone the filters start folded: the results come right under the words, not 16 checkboxes down
  if (window.matchMedia("(max-width: 40rem)").matches) filtersBox.closest("details").open = false;
  form.hidden = false;
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  filtersBox.addEventListener("change", run);
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) input.value = asked;
  input.focus();
  run();
}

start();
