"""Cited explanations: the best paths between two nodes as short plain-language text.

Each path becomes a few sentences, one per step, composed from the curated paraphrases (our own
words, never the documents'), each with numbered citation marks into one reference list
(document, locator, and the numbered reference the document cites there). The evidence of a step
is pooled (:mod:`kg.evidence`), so a step cites every document that states it in that direction;
a step that no document states outright is called out as hedged or implied, and the path's
composed sign is said in words. As JSON (:meth:`Explanation.to_dict`), Markdown or HTML.

>>> from tests.fixture_graph import fixture_index
>>> text = explain(fixture_index(), "TGF-β receptor inhibitor", "EMT", k=1).to_markdown()
>>> print(text.splitlines()[0])
## How TGF-β receptor inhibitor leads to epithelial-mesenchymal transition
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from kg.index import Citation, Edge, GraphIndex, Node
from kg.paths import DEFAULT_TIMEOUT_MS, MAX_K, find_paths

FORMATS = ("json", "markdown", "html")
CANDIDATES = 10  # paths searched for before the best k are kept
# How the composed sign of a path reads.
EFFECT = {1: "raises", -1: "lowers", 0: "changes, in a direction the sources do not settle,"}
# Certainty called out when no citation of a step states it outright.
CERTAINTY_NOTE = {"hedged": "the sources hedge this step", "implied": "this step is our reading, not stated"}


@dataclass(frozen=True)
class Step:
    edge: Edge
    marks: tuple[int, ...]  # numbers into the explanation's reference list

    @property
    def relation(self) -> str:
        """The step's relation in words: its asserted predicates (pooled edges say which)."""
        names = self.edge.pooled or (self.edge.predicate,)
        return " / ".join(name.replace("_", " ") for name in names)

    @property
    def certainty_note(self) -> str | None:
        certainties = {citation.certainty for citation in self.edge.citations}
        if "stated" in certainties:
            return None
        return CERTAINTY_NOTE["hedged" if "hedged" in certainties else "implied"]

    def sentence(self) -> str:
        paraphrase = self.edge.citations[0].statement.rstrip(".") if self.edge.citations else ""
        note = f" ({self.certainty_note})" if self.certainty_note else ""
        return (f"{self.edge.subject.label} {self.relation} {self.edge.object.label}{note}: {paraphrase}. "
                f"[{', '.join(map(str, self.marks))}]")


@dataclass(frozen=True)
class ExplainedPath:
    nodes: tuple[Node, ...]
    steps: tuple[Step, ...]
    sign: int

    def summary(self) -> str:
        unsigned = [step for step in self.steps if step.edge.sign == 0]
        why = (f" (the step {unsigned[0].edge.subject.label} {unsigned[0].relation} {unsigned[0].edge.object.label}"
               " has no direction)" if self.sign == 0 and unsigned else "")
        return f"In all, {self.nodes[0].label} {EFFECT[self.sign]} {self.nodes[-1].label}{why}."


@dataclass(frozen=True)
class Explanation:
    source: Node
    target: Node
    paths: tuple[ExplainedPath, ...]
    references: tuple[Citation, ...]  # position + 1 = citation mark

    @property
    def title(self) -> str:
        return f"How {self.source.label} leads to {self.target.label}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "target": self.target.to_dict(),
            "paths": [{
                "nodes": [node.to_dict() for node in path.nodes],
                "sign": path.sign,
                "steps": [{"text": step.sentence(), "edge": step.edge.to_dict(), "citation_marks": list(step.marks)}
                          for step in path.steps],
                "summary": path.summary(),
            } for path in self.paths],
            "references": [{"mark": mark, **_reference(citation)} for mark, citation in enumerate(self.references, 1)],
            "text": self.to_markdown(),
        }

    def to_markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if not self.paths:
            lines.append("The curated graph links them by no path.")
        for number, path in enumerate(self.paths, 1):
            lines.append(f"**Path {number}:** {' → '.join(node.label for node in path.nodes)}")
            lines += [f"{index}. {step.sentence()}" for index, step in enumerate(path.steps, 1)]
            lines += [path.summary(), ""]
        lines += ["### References", ""]
        lines += [f"{mark}. {_reference_text(citation)}" for mark, citation in enumerate(self.references, 1)]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        escape = html.escape
        parts = [f"<article><h2>{escape(self.title)}</h2>"]
        if not self.paths:
            parts.append("<p>The curated graph links them by no path.</p>")
        for number, path in enumerate(self.paths, 1):
            parts.append(f"<h3>Path {number}: {escape(' → '.join(node.label for node in path.nodes))}</h3><ol>")
            parts += [f"<li>{escape(step.sentence())}</li>" for step in path.steps]
            parts.append(f"</ol><p>{escape(path.summary())}</p>")
        parts.append("<h3>References</h3><ol>")
        parts += [f"<li>{escape(_reference_text(citation))}</li>" for citation in self.references]
        parts.append("</ol></article>")
        return "".join(parts)


def explain(index: GraphIndex, source: str, target: str, *, k: int = 3,
            timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Explanation:
    """The ``k`` (1-50) best directed paths from ``source`` to ``target`` with pooled evidence,
    explained step by step with citation marks into one reference list."""
    # Yen's algorithm keeps equally short paths by node number, not support: search wider, then
    # keep the best-supported k of what it found.
    result = find_paths(index, source, target, mode="k_shortest", k=min(max(k, CANDIDATES), MAX_K),
                        timeout_ms=timeout_ms, evidence="pooled")
    references: dict[tuple[str, str, str], int] = {}
    cited: list[Citation] = []

    def mark(citation: Citation) -> int:
        key = (citation.document, citation.locator, citation.statement)
        if key not in references:
            cited.append(citation)
            references[key] = len(cited)
        return references[key]

    paths = tuple(
        ExplainedPath(path.nodes, tuple(Step(edge, tuple(mark(c) for c in edge.citations)) for edge in path.edges),
                      path.sign)
        for path in result.paths[:k]
    )
    return Explanation(result.sources[0], result.targets[0], paths, tuple(cited))


def _reference(citation: Citation) -> dict[str, Any]:
    reference = dict(citation.reference) if citation.reference else None
    return {"document": citation.document, "locator": citation.locator, "certainty": citation.certainty,
            "reference": reference, "text": _reference_text(citation)}


def _reference_text(citation: Citation) -> str:
    text = f"{citation.document}, {citation.locator}"
    reference = citation.reference or {}
    if reference.get("number") is None:
        return text
    if reference.get("entry"):
        return f"{text}, citing its reference [{reference['number']}]: {reference['entry']}"
    return f"{text}, citing its reference [{reference['number']}], for which it prints no entry"
