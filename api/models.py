"""Response models: one pydantic model per response shape, and the named vocabularies (enums) that
parameters and answers share, so that the OpenAPI schema gives each one name (a generated client
gets ``Certainty``, not ``ListEdgesCertaintyType0``).

>>> Certainty("hedged") == "hedged", [mode.value for mode in PathMode]
(True, ['shortest', 'k_shortest', 'simple'])
"""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from kg.exchange.export import FORMATS as EXPORT_FORMATS
from kg.query.conflicts import KINDS as CONFLICT_KINDS
from kg.query.evidence import EVIDENCE_MODES
from kg.query.explain import FORMATS as EXPLANATION_FORMATS
from kg.query.hierarchy import EXPANSIONS
from kg.query.index import CERTAINTIES, DIRECTIONS
from kg.query.lookup import MATCH_KINDS
from kg.query.paths import MODES as PATH_MODES


def vocabulary(name: str, values: Sequence[str], doc: str) -> type[StrEnum]:
    """A string enum named ``name`` whose members are ``values`` (members compare equal to their strings)."""
    enum = StrEnum(name, [(value, value) for value in values], module=__name__)
    enum.__doc__ = doc
    return enum


Certainty = vocabulary("Certainty", CERTAINTIES, "How firmly the passage states the claim.")
EvidenceMode = vocabulary(
    "EvidenceMode", EVIDENCE_MODES, "asserted: one edge per stated predicate; pooled: a pair's edges of one causal "
    "polarity merged into one edge with every citation.")
ExpandMode = vocabulary(
    "ExpandMode", EXPANSIONS, "How far a node reaches through the concept hierarchy: none, members (a pathway or "
    "family answers through its members), hierarchy (also a claim's subject through its groups).")
PathMode = vocabulary("PathMode", PATH_MODES, "shortest; k_shortest (Yen); simple (all simple paths up to a length).")
Direction = vocabulary("Direction", DIRECTIONS, "Follow edges out of a node, into it, or both ways.")
ConflictKind = vocabulary(
    "ConflictKind", CONFLICT_KINDS, "opposite_signs: a pair stated with a positive and a negative predicate; "
    "certainty: one claim stated by a document, only hedged or implied by another.")
MatchKind = vocabulary("MatchKind", MATCH_KINDS, "How a name matched, best first.")
ExplanationFormat = vocabulary("ExplanationFormat", EXPLANATION_FORMATS, "json (with the edges), markdown or HTML.")
ExportFormat = vocabulary("ExportFormat", EXPORT_FORMATS, "A serialisation of the graph (kgx-tsv, kgx-jsonl: tar.gz).")
ThroughRole = vocabulary("ThroughRole", ("member", "group"), "What an expanded edge's differing end is to the "
                         "answer edge's: a member of it, or a group it belongs to.")
SubjectForm = vocabulary("SubjectForm", ("mutant",), "The form of the subject a passage means.")
NeighborhoodCut = vocabulary("NeighborhoodCut", ("limit", "size"), "What cut a neighbourhood: the node limit, or "
                             "the cap on the edges and citations one answer carries.")
PathsCut = vocabulary("PathsCut", ("max_paths", "k", "timeout", "size"), "What cut a path answer: the path cap, k, "
                      "the time budget, or the cap on the edges and citations one answer carries.")


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status code, repeated for clients that only see the body.")
    code: str = Field(description="Stable machine-readable error name, e.g. 'invalid_query'.")
    message: str = Field(description="What went wrong, for people.")
    detail: Any = Field(None, description="Structured context (parser position, allowed values...).")


class ErrorResponse(BaseModel):
    error: ErrorBody


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    triples: int = Field(description="Quads in the served dataset (default graph and named graphs).")
    named_graphs: int = Field(description="Named graphs in the served dataset.")
    data_file: str = Field(description="File name of the served RDF data.")


# ---------------------------------------------------------------- the knowledge graph's shapes
class NodeRef(BaseModel):
    id: str = Field(description="CURIE (or IRI) of the node.", examples=["mkg:emt"])
    label: str = Field(examples=["epithelial-mesenchymal transition"])
    category: str = Field(description="Biolink category CURIE.", examples=["biolink:BiologicalProcess"])


class Reference(BaseModel):
    number: int | None = Field(description="The reference's number in the document's list.", examples=[4])
    entry: str | None = Field(None, description="The reference-list entry, where the document prints one.")
    note: str | None = Field(None, description="Where there is no entry, why (the document prints no list).",
                             examples=["reference 4 of wolf2025 (the document prints no reference list)"])


class CitationOut(BaseModel):
    document: str = Field(description="Id of the source document.", examples=["wolf2025"])
    locator: str = Field(description="section/pN/sM (or sM-K) under the documented segmentation.",
                         examples=["introduction/p4/s3"])
    reference: Reference | None = Field(description="The numbered reference the document cites there.")
    certainty: Certainty
    statement: str = Field(description="The claim, paraphrased in the curators' own words.")
    qualifiers: "QualifiersOut | None" = Field(None, description="The context the passage gives the relation.")


class QualifiersOut(BaseModel):
    via: list[str] = Field(description="Ids of the mediators the passage names (the subject acts through them).",
                           examples=[["mkg:growth_factor"]])
    subject_form: SubjectForm | None = Field(
        None, description="The form of the subject the passage means (Biolink subject_form_or_variant_qualifier).")
    location: str | None = Field(None, description="Id of the site where the passage says it happens.")


class ProvenanceOut(BaseModel):
    primary_knowledge_source: str | None = Field(
        description="infores id of the source: this graph for document claims, the resource for background "
        "knowledge.", examples=["infores:metastasis-kg"])
    knowledge_level: str | None = Field(None, examples=["knowledge_assertion"])
    agent_type: str | None = Field(None, examples=["manual_agent"])
    source_record: str | None = Field(
        None, description="Background knowledge only: the entry checked in the resource.", examples=["GO:0007179"])
    note: str | None = Field(None, description="Background knowledge only: what that entry says, in our words.")


class ThroughOut(BaseModel):
    subject: NodeRef
    predicate: str
    object: NodeRef
    as_: ThroughRole = Field(
        alias="as", description="What the end that differs is to the answer edge's: a member of it, or a group it "
        "belongs to.")
    documents: list[str]


class EdgeOut(BaseModel):
    subject: NodeRef
    predicate: str = Field(examples=["promotes"])
    object: NodeRef
    sign: int = Field(description="+1 raises the object, -1 lowers it, 0 unsigned.", examples=[1])
    background: bool = Field(
        False, description="True for background knowledge: a member-of or kind-of relation taken from a standard "
        "resource (see provenance), not stated by the documents; it has no citations.")
    provenance: ProvenanceOut | None = Field(None, description="Where the edge comes from (Biolink fields).")
    citations: list[CitationOut]
    pooled_predicates: list[str] | None = Field(
        None, description="With evidence=pooled: the asserted predicates of one polarity merged into this edge.",
        examples=[["enables", "promotes"]])
    through: list[ThroughOut] | None = Field(
        None, description="With expand: the asserted edges of members or groups merged into this edge.")
    conflicts: list[ConflictKind] | None = Field(
        None, description="Where the documents disagree on this subject-object pair (see /conflicts): opposite signs, "
        "or different certainty.")


class NodeDetailOut(NodeRef):
    iri: str | None
    synonyms: list[str]
    xrefs: list[str] = Field(description="Standard identifiers (HGNC, NCBIGene, GO, CL, UBERON, MONDO, NCIT...).")
    definition: str | None
    in_degree: int
    out_degree: int


class SearchHit(NodeRef):
    match: MatchKind = Field(
        description="How the name matched, best first: id > exact label > synonym > prefix > substring.")
    matched: str = Field(description="The label or synonym that matched.")


class SearchPage(BaseModel):
    query: str
    items: list[SearchHit]
    total: int
    limit: int
    offset: int
    truncated: bool = Field(description="True when more hits exist past this page.")


class EdgePage(BaseModel):
    edges: list[EdgeOut]
    total: int
    limit: int
    offset: int
    truncated: bool


class HopNode(NodeRef):
    hop: int = Field(description="Hops from the nearest seed node.")


class NeighborhoodOut(BaseModel):
    seeds: list[NodeRef]
    nodes: list[HopNode]
    edges: list[EdgeOut]
    depth: int
    direction: Direction
    limit: int
    truncated: bool = Field(description="True when the node limit or the answer-size cap cut the neighbourhood.")
    truncated_by: NeighborhoodCut | None = Field(
        None, description="What cut the answer: the node limit, or the cap on the edges and citations one answer "
        "carries (its best-supported edges are kept); null when complete.")


class PathOut(BaseModel):
    nodes: list[NodeRef]
    edges: list[EdgeOut]
    length: int
    sign: int = Field(description="Product of the edge signs: +1, -1, or 0 when any edge is unsigned.")
    support: int = Field(description="Total citations along the path.")


class PathsOut(BaseModel):
    mode: PathMode
    sources: list[NodeRef]
    targets: list[NodeRef]
    paths: list[PathOut]
    truncated: bool = Field(description="True when more paths exist than were returned.")
    truncated_by: PathsCut | None = Field(
        None, description="What cut the answer: the path cap (max_paths, or k in k_shortest mode), the time budget "
        "(timeout_ms covers the search and building the answer), or the cap on the edges and citations one answer "
        "carries (the best-ranked paths are kept); null when complete.")
    timed_out: bool = Field(description="True when the time budget ran out; the paths found so far are returned.")


class DocumentSummary(BaseModel):
    id: str = Field(examples=["schneider2025"])
    iri: str | None = None
    title: str | None = None
    type: str | None = None
    authors: list[str] = []
    journal: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    license: str | None = None
    citations: int = Field(description="Citations of this document in the graph.")
    edge_count: int = Field(description="Edges this document supports.")


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    total: int
    truncated: bool


class DocumentDetail(DocumentSummary):
    references: list[Reference]
    edges: list[EdgeOut]
    edges_truncated: bool


class StatsOut(BaseModel):
    nodes: int
    edges: int
    citations: int
    nodes_per_category: dict[str, int]
    edges_per_predicate: dict[str, int]
    citations_per_document: dict[str, int]


class ConflictSideOut(BaseModel):
    predicates: list[str] = Field(description="The asserted predicates of this polarity.", examples=[["promotes"]])
    documents: list[str] = Field(description="The documents that cite this side.")
    citations: list[CitationOut]


class DocumentCertaintyOut(BaseModel):
    document: str = Field(examples=["wolf2025"])
    certainty: Certainty = Field(
        description="The strongest certainty among this document's citations of the claim.")
    citations: list[CitationOut]


class ConflictOut(BaseModel):
    subject: NodeRef
    object: NodeRef
    kind: ConflictKind = Field(
        description="opposite_signs: the pair is stated with a positive and a negative predicate; certainty: "
        "documents state one claim with different certainty.")
    support: int = Field(description="Citations on every side of the conflict.")
    positive: ConflictSideOut | None = Field(description="opposite_signs: the positive side; null otherwise.")
    negative: ConflictSideOut | None = Field(description="opposite_signs: the negative side; null otherwise.")
    polarity: str | None = Field(
        description="certainty: the polarity of the claim (positive, negative, unsigned, or non_causal for a "
        "predicate outside the causal hierarchy); null otherwise.", examples=["positive"])
    predicates: list[str] | None = Field(
        description="certainty: the asserted predicates pooled into the claim; null otherwise.")
    certainties: list[DocumentCertaintyOut] | None = Field(
        description="certainty: each document's certainty of the claim, strongest first; null otherwise.")


class ConflictPage(BaseModel):
    conflicts: list[ConflictOut]
    total: int
    limit: int
    offset: int
    truncated: bool


class ExplainedStepOut(BaseModel):
    text: str = Field(description="The step in words, from the curated paraphrases, with citation marks.")
    edge: EdgeOut = Field(description="The step's pooled edge with every citation.")
    citation_marks: list[int] = Field(description="Numbers into the explanation's reference list.")
    conflict: ConflictKind | None = Field(
        None, description="Set when the documents disagree on this pair (see /conflicts).")


class ExplanationSectionOut(BaseModel):
    heading: str = Field(examples=["Path 1: hypoxia → angiogenesis → metastasis"])
    nodes: list[NodeRef] = Field(description="A path's nodes; empty for a node's drivers or effects.")
    sign: int | None = Field(description="A path's composed sign: +1 raises the target, -1 lowers it, 0 unknown.")
    steps: list[ExplainedStepOut]
    summary: str | None = Field(description="A path's composed effect in words.")


class ExplanationReferenceOut(BaseModel):
    mark: int
    document: str
    locator: str
    certainty: Certainty
    reference: Reference | None
    text: str = Field(description="The reference as the Markdown and HTML forms print it.")


class ExplanationOut(BaseModel):
    title: str = Field(examples=["How hypoxia leads to metastasis"])
    source: NodeRef | None = Field(None, description="Paths: where they start.")
    target: NodeRef | None = Field(None, description="Paths: where they end.")
    node: NodeRef | None = Field(None, description="A node's drivers and effects: the node.")
    sections: list[ExplanationSectionOut] = Field(description="One per path, or Drivers and Effects.")
    references: list[ExplanationReferenceOut]
    text: str = Field(description="The whole explanation as Markdown.")
