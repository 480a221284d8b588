"""Cited explanations: the best paths between two nodes, or a node's strongest drivers and
effects, as short plain-language text.

Each path becomes a few sentences, one per step, composed from the curated paraphrases (our own
words, never the documents'), each with numbered citation marks into one reference list
(document, locator, and the numbered reference the document cites there). The evidence of a step
is pooled (:mod:`kg.query.evidence`), so a step cites every document that states it in that direction;
a step that no document states outright is called out as hedged or implied, and the path's
composed sign is said in words. As JSON (:meth:`Explanation.to_dict`), Markdown or HTML.

>>> from tests.fixture_graph import fixture_index
>>> text = explain(fixture_index(), "TGF-β receptor inhibitor", "EMT", k=1).to_markdown()
>>> print(text.splitlines()[2])
**Path 1: TGF-β receptor inhibitor → TGF-β signaling → epithelial-mesenchymal transition**
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from kg.query.conflicts import all_conflicts
from kg.query.edges import MAX_LIMIT, find_edges
from kg.query.evidence import POOLED_PREDICATE
from kg.query.index import Citation, Edge, GraphIndex, Node, check_int
from kg.query.lookup import resolve
from kg.query.paths import DEFAULT_TIMEOUT_MS, MAX_K, find_paths

FORMATS = ("json", "markdown", "html")
CANDIDATES = 10  # paths searched for before the best k are kept
PARAPHRASES_PER_STEP = 2  # a step reads in the words of its first documents; its marks cite them all
# How the composed sign of a path reads.
EFFECT = {1: "raises", -1: "lowers", 0: "changes, in a direction the sources do not settle,"}
# Certainty called out when no citation of a step states it outright.
CERTAINTY_NOTE = {"hedged": "the sources hedge this step", "implied": "this step is our reading, not stated"}
# What a step says when the documents disagree on it (kg.query.conflicts).
CONFLICT_NOTE = {"opposite_signs": "the documents disagree on its direction",
                 "certainty": "the documents state it with different certainty"}


@dataclass(frozen=True)
class Step:
    edge: Edge
    marks: tuple[int, ...]  # numbers into the explanation's reference list
    conflict: str | None = None  # a kind of kg.query.conflicts, when the documents disagree on this pair
    passes_sign: bool = False  # a member-of, kind-of or part-of step: a path's sign passes through it

    @property
    def relation(self) -> str:
        """The step's relation in words: its asserted predicates (pooled edges say which)."""
        names = self.edge.pooled or (self.edge.predicate,)
        return " / ".join(name.replace("_", " ") for name in names)

    @property
    def certainty_note(self) -> str | None:
        certainties = {citation.certainty for citation in self.edge.citations}
        if "stated" in certainties or not certainties:
            return None
        return CERTAINTY_NOTE["hedged" if "hedged" in certainties else "implied"]

    def sentence(self) -> str:
        edge = self.edge
        if edge.background:  # no document: say so, and name the record checked instead
            provenance = edge.provenance
            return (f"{edge.subject.label} {self.relation} {edge.object.label} (background knowledge, not from the "
                    f"documents: {provenance.source_record} in {provenance.primary_knowledge_source}): "
                    f"{provenance.note.rstrip('.')}.")
        paraphrase = ". ".join(self.paraphrases)
        notes = [note for note in (self.certainty_note, CONFLICT_NOTE.get(self.conflict or ""), self.through_note)
                 if note]
        note = f" ({'; '.join(notes)})" if notes else ""
        return (f"{edge.subject.label} {self.relation} {edge.object.label}{note}: {paraphrase}. "
                f"[{', '.join(map(str, self.marks))}]")

    @property
    def paraphrases(self) -> list[str]:
        """The step in our words: the first paraphrase of each of (at most) its first two documents."""
        first: dict[str, str] = {}
        for citation in self.edge.citations:
            first.setdefault(citation.document, citation.statement.rstrip("."))
        return list(first.values())[:PARAPHRASES_PER_STEP]

    @property
    def through_note(self) -> str | None:
        """Whose claims the step pools besides its own ends' (expand): its groups, its members."""
        named: dict[str, dict[str, None]] = {"group": {}, "member": {}}
        for step in self.edge.through:
            for end in (step.subject, step.object):
                if end.id not in (self.edge.subject.id, self.edge.object.id):
                    named[step.relation][end.label] = None
        said = [f"its {relation}s {' and '.join(labels)}" for relation, labels in named.items() if labels]
        return f"pooled with what the documents say of {'; of '.join(said)}" if said else None


@dataclass(frozen=True)
class Section:
    """One path (its nodes, composed sign and a summary), or one list of a node's drivers or effects."""

    heading: str
    steps: tuple[Step, ...]
    nodes: tuple[Node, ...] = ()
    sign: int | None = None

    @property
    def summary(self) -> str | None:
        if self.sign is None:
            return None
        unsigned = [step for step in self.steps if step.edge.sign == 0 and not step.passes_sign]
        why = (f" (the step {unsigned[0].edge.subject.label} {unsigned[0].relation} {unsigned[0].edge.object.label}"
               " has no direction)" if self.sign == 0 and unsigned else "")
        return f"In all, {self.nodes[0].label} {EFFECT[self.sign]} {self.nodes[-1].label}{why}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "nodes": [node.to_dict() for node in self.nodes],
            "sign": self.sign,
            "steps": [{"text": step.sentence(), "edge": step.edge.to_dict(), "citation_marks": list(step.marks),
                       "conflict": step.conflict} for step in self.steps],
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Explanation:
    """Sections of cited steps and the one reference list their marks point into."""

    title: str
    about: dict[str, Node]  # {"source", "target"} for paths, {"node"} for a node's drivers and effects
    sections: tuple[Section, ...]
    references: tuple[Citation, ...]  # position + 1 = citation mark
    empty: str  # what to say when there is no section

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            **{role: node.to_dict() for role, node in self.about.items()},
            "sections": [section.to_dict() for section in self.sections],
            "references": [{"mark": mark, **_reference(citation)} for mark, citation in enumerate(self.references, 1)],
            "text": self.to_markdown(),
        }

    def to_markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if not self.sections:
            lines += [self.empty, ""]
        for section in self.sections:
            lines.append(f"**{section.heading}**")
            lines += [f"{index}. {step.sentence()}" for index, step in enumerate(section.steps, 1)]
            lines += [section.summary or "", ""] if section.summary else [""]
        lines += ["### References", ""]
        lines += [f"{mark}. {_reference_text(citation)}" for mark, citation in enumerate(self.references, 1)]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        escape = html.escape
        parts = [f"<article><h2>{escape(self.title)}</h2>"]
        if not self.sections:
            parts.append(f"<p>{escape(self.empty)}</p>")
        for section in self.sections:
            parts.append(f"<h3>{escape(section.heading)}</h3><ol>")
            parts += [f"<li>{escape(step.sentence())}</li>" for step in section.steps]
            parts.append("</ol>" + (f"<p>{escape(section.summary)}</p>" if section.summary else ""))
        parts.append("<h3>References</h3><ol>")
        parts += [f"<li>{escape(_reference_text(citation))}</li>" for citation in self.references]
        parts.append("</ol></article>")
        return "".join(parts)


class _Marks:
    """Numbers the passages cited in the order they are first cited (one number per passage), and
    knows which pairs the documents disagree on."""

    def __init__(self, index: GraphIndex) -> None:
        self.cited: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}  # one number per passage, whatever it is cited for
        self._conflicts = {(c.subject.id, c.object.id): c.kind for c in all_conflicts(index)}
        self._passes_sign = {name for name, info in index.predicates.items() if info["passes_sign"]}

    def steps(self, edges) -> tuple[Step, ...]:
        return tuple(Step(edge, tuple(dict.fromkeys(self._mark(c) for c in edge.citations)),
                          self._conflicts.get((edge.subject.id, edge.object.id)), edge.predicate in self._passes_sign)
                     for edge in edges)

    def _mark(self, citation: Citation) -> int:
        key = (citation.document, citation.locator)
        if key not in self._numbers:
            self.cited.append(citation)
            self._numbers[key] = len(self.cited)
        return self._numbers[key]


def explain(index: GraphIndex, source: str, target: str, *, k: int = 3,
            timeout_ms: int = DEFAULT_TIMEOUT_MS, expand: str = "hierarchy") -> Explanation:
    """The ``k`` (1-50) best directed paths from ``source`` to ``target`` with pooled evidence,
    walking the concept hierarchy as ``expand`` says (:mod:`kg.query.hierarchy`), explained step
    by step with citation marks into one reference list; background-knowledge steps are named as
    such, with the record they were checked against."""
    # Yen's algorithm keeps equally short paths by node number, not support: search wider, then
    # keep the k that explain best (_explanatory) of what it found.
    result = find_paths(index, source, target, mode="k_shortest", k=min(max(k, CANDIDATES), MAX_K),
                        timeout_ms=timeout_ms, evidence="pooled", expand=expand)
    marks = _Marks(index)
    source_node, target_node = result.sources[0], result.targets[0]  # those asked for come first
    ranked = sorted(result.paths, key=lambda path: _explanatory(path, (source_node, target_node)))
    sections = tuple(
        Section(f"Path {number}: {' → '.join(node.label for node in path.nodes)}", marks.steps(path.edges),
                path.nodes, path.sign)
        for number, path in enumerate(ranked[:k], 1)
    )
    return Explanation(f"How {source_node.label} leads to {target_node.label}",
                       {"source": source_node, "target": target_node}, sections, tuple(marks.cited),
                       "The curated graph links them by no path.")


def explain_node(index: GraphIndex, node: str, *, k: int = 5, expand: str = "hierarchy") -> Explanation:
    """A node's ``k`` (1-50) best-supported drivers (causal edges into it) and effects (causal
    edges out of it), each with its evidence pooled (through its members and groups as ``expand``
    says), explained with one reference list.

    >>> from tests.fixture_graph import fixture_index
    >>> print(explain_node(fixture_index(), "EMT", k=1).to_markdown().splitlines()[0])
    ## What drives epithelial-mesenchymal transition, and what it drives
    """
    k = check_int("k", k, 1, MAX_K)
    target = resolve(index, node)
    marks = _Marks(index)
    sections = []
    for heading, role in (("Drivers", "object"), ("Effects", "subject")):
        edges = find_edges(index, **{role: target.id}, evidence="pooled", expand=expand, limit=MAX_LIMIT).edges
        causal = [edge for edge in edges if edge.predicate in POOLED_PREDICATE.values()][:k]
        if causal:
            sections.append(Section(heading, marks.steps(causal)))
    return Explanation(f"What drives {target.label}, and what it drives", {"node": target}, tuple(sections),
                       tuple(marks.cited), "The curated graph states no cause or effect of it.")


def _explanatory(path, asked: tuple[Node, Node]) -> tuple:
    """Paths whose every step has a direction first (they say how the target is driven), then
    shorter, then those between the nodes asked for (not from or to a member), then better supported."""
    return (path.sign == 0, path.length, (path.nodes[0], path.nodes[-1]) != asked, -path.support)


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
