"""Check every citation against the source files: the passage exists, is unchanged, and names
both ends of the relation it supports (``kg.curation.mentions`` says what naming is).

>>> mentions("Hypoxia in the tumor promotes\\nangio-genesis.", ["angiogenesis"])
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.curation.mentions import names_any as mentions
from kg.curation.model import CuratedGraph
from kg.curation.sources import locate, mask, segment, span_hash
from kg.errors import KGError


@dataclass(frozen=True)
class Failure:
    statement: str
    document: str
    locator: str
    problem: str


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
