"""Check every citation against the source files: the passage exists, is unchanged, and names
both ends of the relation it supports.

A name matches a run of whole words of the passage whose normalised concatenation equals the
name's key (``kg.text.name_key``), so spacing, hyphens, line wraps, Greek letters and LaTeX do
not matter: ``TGF-$\\beta$`` names ``TGF-β``, and ``PD-\\nL1`` names ``PD-L1``. A plural ``s``/``es``
is allowed at the end.

>>> mentions("Hypoxia in the tumor promotes\\nangio-genesis.", ["angiogenesis"])
True
>>> mentions("Metastasis is deadly.", ["stasis"])
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.curation.model import CuratedGraph
from kg.curation.sources import locate, mask, segment, span_hash
from kg.errors import KGError
from kg.text import name_key

# A word for matching: anything between whitespace and punctuation, keeping LaTeX such as $\beta$ whole.
WORD = re.compile(r"[^\s\-–/()\[\],.;:'\"*!?]+")
MAX_NAME_WORDS = 8


@dataclass(frozen=True)
class Failure:
    statement: str
    document: str
    locator: str
    problem: str


def _words(text: str) -> list[str]:
    return [k for k in (name_key(w) for w in WORD.findall(text)) if k]


def mentions(text: str, names) -> bool:
    """True if ``text`` names any of ``names`` as a run of whole words (see the module docstring)."""
    words = _words(text)
    keys = {name_key(n) for n in names} - {""}
    for i in range(len(words)):
        joined = ""
        for word in words[i:i + MAX_NAME_WORDS]:
            joined += word
            if joined in keys or (joined.endswith("s") and joined[:-1] in keys) or (
                    joined.endswith("es") and joined[:-2] in keys):
                return True
    return False


def verify(curated: CuratedGraph, sources: Path) -> tuple[int, list[Failure]]:
    """(number of citations checked, failures) for every citation of the curated graph."""
    texts, sentences, failures, checked = {}, {}, [], 0
    for statement in curated.statements:
        label = " ".join(statement.key)
        for citation in statement.citations:
            checked += 1
            document = curated.documents[citation.document]
            try:
                if document.id not in texts:
                    texts[document.id] = document.read_source(sources)
                    sentences[document.id] = segment(texts[document.id], document.layout)
                passage = locate(document.id, texts[document.id], sentences[document.id], citation.locator)
            except KGError as error:
                failures.append(Failure(label, citation.document, citation.locator, error.message))
                continue
            text = texts[document.id]
            span = text[citation.start:citation.end]
            if (passage.start, passage.end) != (citation.start, citation.end):
                problem = f"the locator now spans {passage.start}-{passage.end}, not {citation.start}-{citation.end}"
            elif span_hash(span) != citation.sha256:
                problem = "the span's SHA-256 differs from the recorded one"
            else:
                masked = mask(text, document.layout)[citation.start:citation.end]
                missing = [role for role, node in (("subject", statement.subject), ("object", statement.object))
                           if not mentions(masked, curated.nodes[node].names)]
                problem = f"the passage does not name the {' or '.join(missing)}" if missing else ""
            if problem:
                failures.append(Failure(label, citation.document, citation.locator, problem))
    return checked, failures
