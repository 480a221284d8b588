"""Response models: one pydantic model per response shape."""

from typing import Any, Literal

from pydantic import BaseModel, Field


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
    certainty: Literal["stated", "hedged", "implied"]
    statement: str = Field(description="The claim, paraphrased in the curators' own words.")
    qualifiers: "QualifiersOut | None" = Field(None, description="The context the passage gives the relation.")


class QualifiersOut(BaseModel):
    via: list[str] = Field(description="Ids of the mediators the passage names (the subject acts through them).",
                           examples=[["mkg:growth_factor"]])
    subject_form: Literal["mutant"] | None = Field(
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
    as_: Literal["member", "group"] = Field(
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
    conflicts: list[Literal["opposite_signs", "certainty"]] | None = Field(
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
    match: Literal["id", "exact", "synonym", "prefix", "substring"] = Field(
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
    direction: Literal["out", "in", "both"]
    limit: int
    truncated: bool = Field(description="True when the node limit or the answer-size cap cut the neighbourhood.")
    truncated_by: Literal["limit", "size"] | None = Field(
        None, description="What cut the answer: the node limit, or the cap on the edges and citations one answer "
        "carries (its best-supported edges are kept); null when complete.")


class PathOut(BaseModel):
    nodes: list[NodeRef]
    edges: list[EdgeOut]
    length: int
    sign: int = Field(description="Product of the edge signs: +1, -1, or 0 when any edge is unsigned.")
    support: int = Field(description="Total citations along the path.")


class PathsOut(BaseModel):
    mode: Literal["shortest", "k_shortest", "simple"]
    sources: list[NodeRef]
    targets: list[NodeRef]
    paths: list[PathOut]
    truncated: bool = Field(description="True when more paths exist than were returned.")
    truncated_by: Literal["max_paths", "k", "timeout", "size"] | None = Field(
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
    certainty: Literal["stated", "hedged", "implied"] = Field(
        description="The strongest certainty among this document's citations of the claim.")
    citations: list[CitationOut]


class ConflictOut(BaseModel):
    subject: NodeRef
    object: NodeRef
    kind: Literal["opposite_signs", "certainty"] = Field(
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
    conflict: Literal["opposite_signs", "certainty"] | None = Field(
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
    certainty: Literal["stated", "hedged", "implied"]
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
