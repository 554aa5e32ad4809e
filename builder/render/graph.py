"""The claim graph (SPEC 9): every passage in a relation as a node, every relation as a typed,
directed edge, laid out as layers and drawn as SVG in the page; and the same as nested lists.

Layout: grandalf's Sugiyama layout (layers, fewer crossings, edges routed through the layers),
pure Python, so the install stays `pip install`: no system Graphviz `dot` to find or miss.
Each connected part is laid out on its own (claims above, answers below), then the parts are set
in rows. Everything is sorted first, so the same site gives the same picture.
"""
from __future__ import annotations

import sys
from functools import lru_cache

from ..linking import IMPLIED, seen_back
from .search import verdict_label
from .views import IN_LABEL, SiteView, shortened


@lru_cache(maxsize=None)
def _grandalf():
    """grandalf, imported when a part first needs it (8 ms; most parts are trees, `_tree_shape`) and with numpy
    out of its sight: only its Digco layout uses numpy (its geometry module falls back to plain Python
    without it), and importing numpy, where some other package installed it, took 60 ms of every build."""
    absent = "numpy" not in sys.modules
    if absent:
        sys.modules["numpy"] = None  # `import numpy` raises ImportError
    try:
        from grandalf.graphs import Edge, Vertex, graph_core
        from grandalf.layouts import SugiyamaLayout
    finally:
        if absent:
            del sys.modules["numpy"]
    return Edge, graph_core, Vertex, SugiyamaLayout


BOX_W, BOX_H = 250, 66  # a node's box, in SVG user units (px at 100%)
GAP_X, GAP_Y = 28, 64  # between boxes in a layer, and between layers
PAD = 16  # around the drawing and between its parts
ROW_WIDTH = 1040  # parts are set side by side up to this width, then on a new row (the content column is 1,054 px at most)
PAGE_NODES = 150  # nodes on one graph page, at most: more than a reader can follow in one picture
CHARS = 29  # characters that fit on a line of a box, wide ones included (fewer on the line of capitals)
VERB = {"rebuts": "rebuts", "retracts": "retracts", "supports": "supports", "see": "sees"}


class _Box:
    """What grandalf reads and writes for a node: its size and, once laid out, its centre."""

    def __init__(self):
        self.w, self.h, self.xy = BOX_W, BOX_H, (0.0, 0.0)


class _Path:
    """What grandalf writes for an edge: the points it passes through (centres and bends)."""

    def __init__(self):
        self.points = []

    def setpath(self, points):
        self.points = [tuple(p) for p in points]


def node_id(key: tuple[str, str | None]) -> str:
    """An HTML id for a node: `g-slug.id`, or `g-slug` for a whole article (dots are in no slug)."""
    return f"g-{key[0]}" + (f".{key[1]}" if key[1] else "")


def _clip(text: str, n: int = CHARS) -> str:
    return _cut(" ".join(text.split()), n)


def _cut(text: str, n: int) -> str:
    """`_clip` of a text whose white space is single spaces already."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _order_key(key: tuple[str, str | None]):
    return (key[0], key[1] or "")


def graph_parts(site) -> list[list[tuple[str, str | None]]]:
    """The connected parts of the graph: each a list of nodes (relation ends), sorted; the parts in
    order of their first node. Read from the relation index alone (outgoing), so that a
    page that links into the graph knows where without the articles themselves."""
    links: dict = {}
    for relations in site.outgoing.values():  # (each relation is in `incoming` too, at its other end)
        for r in relations:
            links.setdefault(r.source, set()).add(r.target)
            links.setdefault(r.target, set()).add(r.source)
    parts, seen = [], set()
    for start in sorted(links, key=_order_key):
        if start in seen:
            continue
        part, todo = [], [start]
        seen.add(start)
        while todo:
            key = todo.pop()
            part.append(key)
            for other in links[key] - seen:
                seen.add(other)
                todo.append(other)
        parts.append(sorted(part, key=_order_key))
    return parts


def graph_pages(site) -> list[list[list[tuple[str, str | None]]]]:
    """The parts, set on pages of at most PAGE_NODES nodes (a larger part has a page of its own)."""
    pages: list = [[]]
    count = 0
    for part in graph_parts(site):
        if pages[-1] and count + len(part) > PAGE_NODES:
            pages.append([])
            count = 0
        pages[-1].append(part)
        count += len(part)
    return pages


def page_path(number: int) -> str:
    return "graph/index.html" if number == 1 else f"graph/page/{number}/index.html"


def _node(view: SiteView, key) -> dict:
    slug, ann_id = key
    article = view.by_slug[slug]
    ann = view.annotation.get(key)
    quote = " ".join(article.text[ann.start : ann.end].split()) if ann else None
    marks = [{"flag": w["name"], "word": w["word"], "en": w["en"]} for w in view.words(key)]  # which end of a relation first
    words = [m["word"] for m in marks]
    verdict = verdict_label(view, ann) if ann else None
    return {
        "key": key, "name": slug + (f"#{ann_id}" if ann_id else ""), "id": node_id(key), "url": view.urls.article(slug, ann_id), "title": article.title,
        "quote": quote, "flag": marks[0]["flag"] if marks else None, "marks": marks, "verdict": verdict,
        "verdict_name": ann.verdict if verdict else None,
        "lines": [_clip(article.title), f"“{_cut(quote, CHARS - 2)}”" if quote else "(the whole article)",
                  _clip(" · ".join(([f"Verdict: {verdict}"] if verdict else []) + words).upper() or "NO FLAG", CHARS - 5)],
        "label": f"{article.title}: " + (f"“{shortened(quote, 140)}”" if quote else "the whole article")
                 + (f" ({', '.join(words)})" if words else "") + (f", verdict: {verdict}" if verdict else ""),
    }


@lru_cache(maxsize=1024)
def _shape(size: int, edges: tuple[tuple[int, int], ...]):
    """The layout of one part, from its shape alone (how many nodes, which edges between which of
    them): most parts are a claim and an answer or two, so most shapes recur, and each is laid out
    once. (centres by node, points by edge, left, top, width, height)."""
    return _tree_shape(size, edges) or _sugiyama(size, edges)


def _sugiyama(size: int, edges):
    """_shape by grandalf."""
    Edge, graph_core, Vertex, SugiyamaLayout = _grandalf()
    vertex = [Vertex(i) for i in range(size)]
    for v in vertex:
        v.view = _Box()
    laid = []
    for target, source in edges:  # laid out claim -> answer, so that claims come first (above)
        e = Edge(vertex[target], vertex[source])
        e.view = _Path()
        laid.append(e)
    part = graph_core(vertex, laid)  # one part: connected by construction. (Not Graph(...).C, which gathers
    # the edges in a set of objects hashed by address: their order, and so the picture, changed from build to build)
    layout = SugiyamaLayout(part)
    layout.xspace, layout.yspace = GAP_X, GAP_Y
    layout.init_all()
    layout.draw()
    xs = [v.view.xy[0] for v in part.sV]
    ys = [v.view.xy[1] for v in part.sV]
    left, top = min(xs) - BOX_W / 2, min(ys) - BOX_H / 2
    centres = tuple(tuple(v.view.xy) for v in vertex)
    points = tuple(tuple(tuple(p) for p in (e.view.points or [e.v[0].view.xy, e.v[1].view.xy])) for e in laid)
    return centres, points, left, top, max(xs) + BOX_W / 2 - left, max(ys) + BOX_H / 2 - top


# (dirh, dirv) of each of the four alignments, as grandalf numbers them
_DIRECTIONS = ((1, -1), (-1, -1), (1, 1), (-1, 1))


def _tree_shape(size: int, edges):
    """_shape for a tree (one claim that answers nothing; every other node answers exactly one): the
    same coordinates grandalf gives (tests/test_graph_layout.py compares them), at a tenth of its cost,
    since such a graph needs none of its search. Its layers are the tree's levels, each in the order its
    ranking visits them (children in edge order), which has no crossings, so its ordering rounds keep it;
    then grandalf's Brandes & Köpf placement: four alignments, each node at the mean of its two medians.
    None when the part is no tree."""
    children: list[list[int]] = [[] for _ in range(size)]
    parent = [-1] * size
    for claim, answer in edges:
        if parent[answer] >= 0 or answer == claim:
            return None
        parent[answer] = claim
        children[claim].append(answer)
    roots = [v for v in range(size) if parent[v] < 0]
    if len(roots) != 1:
        return None
    layers, rank, pos = [roots], [0] * size, [0] * size
    while True:
        below = [c for v in layers[-1] for c in children[v]]
        if not below:
            break
        for i, v in enumerate(below):
            rank[v], pos[v] = len(layers), i
        layers.append(below)
    if sum(map(len, layers)) != size:  # a cycle apart from the root: not connected as a tree
        return None
    step = GAP_X + BOX_W
    xs = [[0.0] * 4 for _ in range(size)]
    for dirvh, (dirh, dirv) in enumerate(_DIRECTIONS):
        root, align, sink = list(range(size)), list(range(size)), list(range(size))
        shift, x = [float("inf")] * size, [None] * size
        order = layers[::-dirv]
        for layer in order:  # vertical alignment: each node with the median of its neighbours before it
            r = None
            for v in layer[::dirh]:
                near = ([parent[v]] if parent[v] >= 0 else []) if dirv == -1 else children[v]
                if not near:
                    continue
                at = sorted(pos[u] for u in near)[::dirh]
                i, j = divmod(len(at) - 1, 2)
                for m in [at[i]] if j == 0 else [at[i], at[i + j]]:
                    if align[v] == v and (r is None or dirh * r < dirh * m):
                        u = layers[rank[v] + dirv][m]
                        align[u], root[v] = v, root[u]
                        align[v], r = root[v], m

        def place(v):  # horizontal compaction of v's block (grandalf's __place_block)
            if x[v] is not None:
                return
            x[v] = 0.0
            w = v
            while True:
                j = pos[w] - dirh
                if 0 <= j < len(layers[rank[w]]):
                    u = root[layers[rank[w]][j]]
                    place(u)
                    if sink[v] == v:
                        sink[v] = sink[u]
                    if sink[v] != sink[u]:
                        shift[sink[u]] = min(shift[sink[u]], x[v] - (x[u] + step))
                    else:
                        x[v] = max(x[v], x[u] + step)
                w = align[w]
                if w == v:
                    break

        for layer in order:
            for v in layer[::dirh]:
                if root[v] == v:
                    place(v)
        if dirh == -1:
            x = [-p if p else p for p in x]
        for v in range(size):
            s = shift[sink[root[v]]]
            xs[v][dirvh] = x[root[v]] + (dirh * s if s < float("inf") else 0)
    centres = []
    for v in range(size):
        a, b, c, d = sorted(xs[v])
        centres.append(((b + c) / 2.0, rank[v] * (BOX_H + GAP_Y) + BOX_H / 2.0))
    points = tuple((centres[claim], centres[answer]) for claim, answer in edges)
    cx = [c[0] for c in centres]
    left = min(cx) - BOX_W / 2
    return tuple(centres), points, left, 0.0, max(cx) + BOX_W / 2 - left, len(layers) * (BOX_H + GAP_Y) - GAP_Y


def _layout(parts, relations):
    """Centres of the nodes and the points of the edges: each part laid out on its own, then the
    parts set in rows."""
    of_part = {k: i for i, part in enumerate(parts) for k in part}
    by_part: dict = {}
    for r in relations:
        by_part.setdefault(of_part[r.source], []).append(r)
    centre, routed, x, y, row_h = {}, [], PAD, PAD, 0
    for i, keys in enumerate(parts):
        index = {k: n for n, k in enumerate(keys)}
        mine = by_part.get(i, ())
        centres, points, left, top, width, height = _shape(len(keys), tuple((index[r.target], index[r.source]) for r in mine))
        left, top, width, height = _with_bends(points, left, top, width, height)
        if x > PAD and x + width > ROW_WIDTH:
            x, y, row_h = PAD, y + row_h + PAD * 2, 0
        dx, dy = x - left, y - top
        for k, (cx, cy) in zip(keys, centres):
            centre[k] = (cx + dx, cy + dy)
        for r, path in zip(mine, points):
            routed.append((r, [(px + dx, py + dy) for px, py in path]))
        x, row_h = x + width + PAD * 2, max(row_h, height)
    ends = [(cx + BOX_W / 2, cy + BOX_H / 2) for cx, cy in centre.values()]
    ends += [(px + LABEL_W / 2, py) for _, path in routed for px, py in path]
    size = (max((ex for ex, _ in ends), default=0) + PAD, max((ey for _, ey in ends), default=0) + PAD)
    return centre, routed, size


LABEL_W = 64  # an edge's word ("supports"), about: where a bend carries it, it stays inside the picture


def _with_bends(points, left, top, width, height):
    """A part's bounds (left, top, width, height) widened to hold its edges' bends and their words: an edge that
    skips a layer goes round the boxes between, and one that went round on the right ran past the picture's edge and
    was cut off, its word with it (heldout58's graph: 137 px past an 842 px picture)."""
    xs = [px for path in points for px, _ in path]
    if not xs:
        return left, top, width, height
    lo, hi = min(left, min(xs) - LABEL_W / 2), max(left + width, max(xs) + LABEL_W / 2)
    return lo, top, hi - lo, height


def _edge_path(points, start, end) -> tuple[str, tuple[float, float]]:
    """SVG path from the answer's box to the claim's box through the bends; and where its word goes."""
    pts = list(reversed(points))  # the layout ran claim -> answer; the arrow runs answer -> claim
    (sx, sy), (ex, ey) = start, end
    first = pts[1] if len(pts) > 2 else (ex, ey)
    last = pts[-2] if len(pts) > 2 else (sx, sy)
    pts[0] = (sx, sy + (BOX_H / 2 if first[1] > sy else -BOX_H / 2))
    pts[-1] = (ex, ey + (BOX_H / 2 if last[1] > ey else -BOX_H / 2))
    d = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in pts)
    mid = len(pts) // 2
    (ax, ay), (bx, by) = pts[mid - 1], pts[mid]
    return d, ((ax + bx) / 2, (ay + by) / 2)


def claim_graph(view: SiteView, parts) -> dict:
    """One graph page's view (these parts): nodes, edges (SVG geometry), its size, and the nested text form."""
    keys = [k for part in parts for k in part]
    position = {k: i for i, k in enumerate(keys)}
    relations = sorted((r for k in keys for r in view.site.outgoing.get(k, ())),
                       key=lambda r: (position[r.target], position[r.source], r.kind))
    relations = [r for r in relations if not (seen_back(view.site, r) and position[r.source] > position[r.target])]
    # (`see` declared at both ends is one relation, as the notes show it: one edge, from the end that comes first)
    nodes = {k: _node(view, k) for k in keys}
    centre, routed, (width, height) = _layout(parts, relations) if keys else ({}, [], (0, 0))
    for k, (cx, cy) in centre.items():
        nodes[k]["x"], nodes[k]["y"] = round(cx - BOX_W / 2, 1), round(cy - BOX_H / 2, 1)
    edges = []
    for r, points in routed:
        d, (lx, ly) = _edge_path(points, centre[r.source], centre[r.target])
        edges.append({"kind": r.kind, "verb": VERB[r.kind], "source": nodes[r.source], "target": nodes[r.target],
                      "d": d, "label_x": round(lx, 1), "label_y": round(ly, 1), "flag": IMPLIED.get(r.kind)})
    return {"nodes": [nodes[k] for k in keys], "edges": edges, "width": round(width), "height": round(height),
            "box": {"w": BOX_W, "h": BOX_H}, "tree": _tree(view, position, nodes), "relation_count": len(relations)}


DEEPEST = 40  # levels the list nests: a claim deeper has its answers listed from the left, below (a chain of
# 400 rebuttals nested past what Python and the template could follow: the build failed, "maximum recursion depth")


def _tree(view: SiteView, position: dict, nodes) -> list[dict]:
    """Claims and their answers as nested lists: each claim, then what rebuts, retracts, supports or
    sees it, and what answers those in turn. A node shown once already is named, not opened again;
    nor is one DEEPEST levels in, whose answers are listed after, at the top level ("below")."""
    shown: set = set()
    later: list = []  # claims too deep to open where they stand, in the order met

    def item(key, relation=None, depth=0) -> dict:
        again = key in shown
        incoming = view.site.incoming.get(key)
        below = not again and bool(incoming) and depth >= DEEPEST
        if below:
            later.append(key)
        else:
            shown.add(key)
        answers = [] if again or below or not incoming else [item(r.source, r, depth + 1) for r in sorted(
            incoming, key=lambda r: (position[r.source], r.kind))]
        return {"node": nodes[key], "label": IN_LABEL[relation.kind] if relation else None,
                "kind": relation.kind if relation else None, "again": again and bool(incoming), "below": below,
                "answers": answers}

    def open_later() -> None:
        while later:
            if (key := later.pop(0)) not in shown:
                tree.append(item(key))

    tree = [item(k) for k in position if not view.site.outgoing.get(k)]  # claims that answer nothing
    open_later()
    for k in position:  # answers that only answer each other (a cycle) still appear
        if k not in shown:
            tree.append(item(k))
            open_later()
    return tree


def article_node(view: SiteView, slug: str, page_of: dict) -> str | None:
    """The graph URL of an article's first node (its part of the graph), or None when it has none.
    `page_of`: the graph page number of every node."""
    article = view.by_slug[slug]
    for key in [(slug, None)] + [(slug, a.id) for a in article.annotations]:
        if key in page_of:
            path = page_path(page_of[key])
            return view.urls.page(path[: -len("index.html")]) + "#" + node_id(key)
    return None
