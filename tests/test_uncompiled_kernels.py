"""Without numba (the Docker image) the search kernels run as plain Python with the same answers."""

import pytest

from kg.curation.build import build
from kg.exchange.graph import to_networkx
from kg.query import neighborhood as neighborhood_module
from kg.query import paths as paths_module
from kg.query.index import GraphIndex
from kg.query.neighborhood import neighborhood
from kg.query.paths import find_paths

pytest.importorskip("numba", reason="numba is absent: the kernels already run as plain Python")

KERNELS = {paths_module: ("_bidirectional_bfs", "_hop_edges", "_expansion_cost"),
           neighborhood_module: ("_best_first_hop",)}


def answers(index):
    return [
        find_paths(index, ["hypoxia"], ["metastasis"], mode="shortest").to_dict(),
        find_paths(index, ["hypoxia"], ["metastasis"], mode="k_shortest", k=5).to_dict(),
        find_paths(index, ["EMT"], ["colonization"], mode="simple", max_length=3).to_dict(),
        find_paths(index, ["TP53"], ["metastasis"], directed=False, mode="k_shortest", k=3).to_dict(),
        neighborhood(index, ["metastasis"], depth=2, limit=25).to_dict(),
        neighborhood(index, ["hypoxia", "EMT"], depth=1, direction="out").to_dict(),
    ]


def test_pure_python_kernels_answer_like_the_compiled_ones(monkeypatch):
    index = GraphIndex.from_networkx(to_networkx(build(output=None)))
    compiled = answers(index)
    for module, names in KERNELS.items():
        for name in names:
            monkeypatch.setattr(module, name, getattr(module, name).py_func)
    assert answers(index) == compiled
