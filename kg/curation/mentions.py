"""Find where a text names a known node: the mention tagger behind ``kg curate suggest`` and the
check of ``kg verify-citations``.

A name matches a run of whole words whose normalised concatenation equals the name's key
(``kg.text.name_key``), so case, spacing, hyphens, line wraps, Greek letters and LaTeX do not
matter (``TGF-$\\beta$`` names ``TGF-β``; ``PD-\\nL1`` names ``PD-L1``), and a plural (``s``,
``es``, ``ies`` for ``y``) may end the run. Where names overlap, the longest run wins, read from
the left: ``cancer-associated fibroblasts`` is one mention, not ``cancer`` and ``fibroblasts``.

>>> matcher = NameMatcher({"emt": ["EMT", "epithelial-mesenchymal transition"], "cancer": ["cancer"]})
>>> [(m.node, m.surface) for m in matcher.tag("Cancers undergo epithelial–mesenchymal\\ntransitions.")]
[('cancer', 'Cancers'), ('emt', 'epithelial–mesenchymal\\ntransitions')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.errors import CurationError
from kg.text import name_key

# A word: anything between whitespace and punctuation, keeping LaTeX such as $\beta$ whole.
WORD = re.compile(r"[^\s\-–/()\[\],.;:'\"*!?]+")
MAX_NAME_WORDS = 8


@dataclass(frozen=True)
class Word:
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A run of words naming ``node``; offsets index the text that was tagged."""

    node: str
    start: int
    end: int
    surface: str


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]`` with their keys and offsets into ``text``.

    >>> [(w.key, w.start) for w in words("TGF-β drives EMT", 4)]
    [('beta', 4), ('drives', 6), ('emt', 13)]
    """
    end = len(text) if end is None else end
    found = (Word(name_key(m.group()), m.start(), m.end()) for m in WORD.finditer(text, start, end))
    return [w for w in found if w.key]


def singular_keys(key: str) -> tuple[str, ...]:
    """The keys that ``key`` may be a plural of, itself first.

    >>> singular_keys("therapies")
    ('therapies', 'therapie', 'therapi', 'therapy')
    """
    forms = [key]
    if key.endswith("s"):
        forms.append(key[:-1])
    if key.endswith("es"):
        forms.append(key[:-2])
    if key.endswith("ies"):
        forms.append(key[:-3] + "y")
    return tuple(forms)


class NameMatcher:
    """Tags the mentions of a fixed set of nodes, each given with its names, best name first.

    Two nodes sharing a name key: the one for which it is the earlier name wins (a label before
    a synonym before a mention), then the first node given.
    """

    def __init__(self, names: Mapping[str, Iterable[str]]):
        if not isinstance(names, Mapping):
            raise CurationError(f"NameMatcher takes a mapping of node id to names, got {type(names).__name__}")
        ranked: dict[str, tuple[int, str]] = {}
        for node, node_names in names.items():
            for rank, name in enumerate(node_names):
                key = name_key(name)
                if key and (key not in ranked or rank < ranked[key][0]):
                    ranked[key] = (rank, node)
        self._node_of = {key: node for key, (_, node) in ranked.items()}

    def node_of(self, key: str) -> str | None:
        """The node whose name ``key`` is, allowing a plural ending."""
        return next((self._node_of[form] for form in singular_keys(key) if form in self._node_of), None)

    def tag(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Every mention in ``text[start:end]``, left to right, the longest run winning."""
        found, tokens, i = [], words(text, start, end), 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + MAX_NAME_WORDS), i, -1):
                node = self.node_of("".join(w.key for w in tokens[i:j]))
                if node is not None:
                    first, last = tokens[i].start, tokens[j - 1].end
                    found.append(Mention(node, first, last, text[first:last]))
                    i = j
                    break
            else:
                i += 1
        return found


def names_any(text: str, names: Iterable[str]) -> bool:
    """True if ``text`` names any of ``names``.

    >>> names_any("Hypoxia in the tumor promotes\\nangio-genesis.", ["angiogenesis"])
    True
    >>> names_any("Metastasis is deadly.", ["stasis"])
    False
    """
    return bool(NameMatcher({"": list(names)}).tag(text))
