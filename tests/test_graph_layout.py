"""The claim graph's layout of a tree (a claim, its answers, theirs): worked out directly, it must give
exactly the coordinates grandalf's Sugiyama layout gives, which lays out every other shape."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from builder.read.load import load_site
from builder.render.graph import _shape, _sugiyama, _tree_shape, graph_parts

HERE = Path(__file__).resolve().parent


def trees(size: int):
    """Every tree on `size` numbered nodes, rooted anywhere: its edges (claim, answer), sorted."""
    for root in range(size):
        others = [v for v in range(size) if v != root]
        for parents in itertools.product(range(size), repeat=len(others)):
            parent = dict(zip(others, parents))
            if all(_up(parent, v, size) == root for v in others):
                yield tuple(sorted((parent[v], v) for v in others))


def _up(parent: dict, v: int, steps: int) -> int:
    """Where `steps` steps up from v end (at the root, if v is in its tree)."""
    for _ in range(steps):
        v = parent.get(v, v)
    return v


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_every_small_tree_is_laid_out_as_grandalf_lays_it_out(size):
    shapes = list(trees(size))
    assert len(shapes) == size ** (size - 1)  # Cayley: as many rooted trees on n numbered nodes
    for edges in shapes:
        assert _tree_shape(size, edges) == _sugiyama(size, edges), edges


def test_larger_trees_with_their_edges_in_any_order_are_laid_out_as_grandalf_lays_them_out():
    rng = random.Random(15)
    for _ in range(150):
        size = rng.randint(6, 40)
        labels = list(range(size))
        rng.shuffle(labels)
        # bushy or long: each node hangs from one of the last few or from any before it
        reach = rng.choice([2, 4, size])
        edges = [(labels[rng.randint(max(0, i - reach), i - 1)], labels[i]) for i in range(1, size)]
        rng.shuffle(edges)
        assert _tree_shape(size, tuple(edges)) == _sugiyama(size, tuple(edges)), edges


@pytest.mark.parametrize("size, edges", [
    (3, ((0, 2), (1, 2))),  # one answer to two claims
    (3, ((0, 1), (1, 2), (2, 0))),  # a cycle
    (2, ((0, 1), (0, 1))),  # two relations between the same two passages
])
def test_a_part_that_is_no_tree_is_left_to_grandalf(size, edges):
    assert _tree_shape(size, edges) is None
    assert _shape(size, edges) == _sugiyama(size, edges)


def test_a_cycle_apart_from_the_claim_is_no_tree():
    assert _tree_shape(4, ((0, 1), (2, 3), (3, 2))) is None  # every node answers one, save the claim


def test_every_part_of_the_repos_site_is_laid_out_as_grandalf_lays_it_out():
    site, _ = load_site(HERE.parent)
    parts = graph_parts(site)
    assert len(parts) > 3
    for part in parts:
        index = {k: n for n, k in enumerate(part)}
        edges = tuple(sorted((index[r.target], index[r.source]) for k in part for r in site.outgoing.get(k, ())))
        assert _shape(len(part), edges) == _sugiyama(len(part), edges)


def test_a_part_grandalf_lays_out_is_drawn_the_same_in_every_build():
    # grandalf's Graph gathers a part's edges in a set of objects hashed by address, so the picture of a
    # large part changed from one build to the next, the same site (and an unchanged page was rewritten)
    rng = random.Random(46)
    size = 90
    edges = sorted({(rng.randrange(v), v) for v in range(1, size) for _ in range(2)})
    drawn = set()
    kept = []  # objects left alive between the layouts, so that each lays out at other addresses
    for round_ in range(4):
        kept.append([object() for _ in range(1000 * round_ + 7)])
        drawn.add(repr(_sugiyama(size, tuple(edges))))
    assert len(drawn) == 1
