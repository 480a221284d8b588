"""Read the curated files in ``data/`` into the model, failing with ``file:line`` on a bad record.

Layout of ``data/`` (documented for curators in ``data/README.md``):
``documents.yaml``, ``predicates.yaml``, ``nodes/*.yaml``, ``statements/<document>.yaml`` and
``passages.tsv`` (the located spans of every cited passage, written by ``kg locate``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import yaml

from kg.curation.model import (
    CERTAINTIES,
    KNOWLEDGE_SOURCES,
    MATCHES,
    ROOT_SIGNS,
    SUBJECT_FORMS,
    XREF_SOURCES,
    BackgroundFact,
    Citation,
    CuratedGraph,
    Document,
    Node,
    Predicate,
    Qualifiers,
    Statement,
    Xref,
    polarity,
)
from kg.curation.sources import locate, parse_locator, segment
from kg.errors import CurationError, NotFoundError
from kg.vocab import CURIE_MAP

# kg/data is data/ itself in a checkout (a link) and its copy in an installed wheel
DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data"
CATEGORIES = (
    "BiologicalProcess", "Pathway", "Gene", "GeneFamily", "MolecularEntity", "Cell",
    "CellularComponent", "AnatomicalEntity", "Disease", "PhenotypicFeature", "Treatment", "Procedure",
)
#: the causal predicates without a direction: only their statements may say why (``unsigned_because``)
UNSIGNED_CAUSAL = ("regulates", "affects", "associated_with")
PASSAGE_COLUMNS = ("document", "locator", "start", "end", "sha256", "reference")
NUMBER = re.compile(r"[0-9]+")
SHA256 = re.compile(r"[0-9a-f]{64}")


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping under the key ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _read_text(path: Path) -> str:
    """The UTF-8 text of a curated file; a missing file or another encoding fails with ``file[:line]``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CurationError(f"{path}: cannot read it: {error.strerror or error}") from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CurationError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from error


def _read_yaml(path: Path):
    try:
        return yaml.load(_read_text(path), Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise CurationError(f"{path}:{mark.line + 1}:{mark.column + 1}: not valid YAML: {error.problem}"
                            + (f" ({error.context})" if error.context else "")) from error
    except yaml.YAMLError as error:
        raise CurationError(f"{path}: not valid YAML: {error}") from error


def _where(path: Path, record: dict) -> str:
    return f"{path}:{record.get('__line__', '?')}"


def _check_locator(locator, where: str) -> None:
    """``locator`` is of the form section/pN/sM[-K]; if not, the error names ``where`` it was written."""
    try:
        parse_locator(str(locator))
    except CurationError as error:
        raise CurationError(f"{where}: {error.message}") from error


def _require(record: dict, keys: tuple[str, ...], path: Path, what: str) -> None:
    if not isinstance(record, dict):
        raise CurationError(f"{path}: each {what} must be a mapping, got {record!r}")
    missing = [k for k in keys if record.get(k) in (None, "", [])]
    if missing:
        raise CurationError(f"{_where(path, record)}: {what} lacks {', '.join(missing)}")
    unknown = set(record) - set(keys) - _OPTIONAL.get(what, set()) - {"__line__"}
    if unknown:
        raise CurationError(f"{_where(path, record)}: {what} has unknown field(s) {', '.join(sorted(unknown))}")


_OPTIONAL = {
    "node": {"synonyms", "mentions", "xrefs"},
    "xref": set(),
    "predicate": {"ro", "parent", "abstract", "hierarchy", "passes_sign"},
    "statement": {"unsigned_because", "qualifiers"},
    "qualifiers": {"via", "subject_form", "location"},
    "background fact": set(),
    "citation": {"reference"},
    "document": {"authors", "affiliation", "journal", "year", "volume", "issue", "pages", "doi", "url",
                 "license", "publisher", "date", "page_id", "end", "references", "reference_count"},
}


def _strings(value, path: Path, record: dict, key: str) -> tuple[str, ...]:
    value = value or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CurationError(f"{_where(path, record)}: {key} must be a list of non-empty strings")
    return tuple(value)


def load_documents(data: Path | None = None) -> list[Document]:
    path = Path(data or DEFAULT_DATA) / "documents.yaml"
    documents = []
    for record in _read_yaml(path):
        _require(record, ("id", "file", "sha256", "title", "type", "layout"), path, "document")
        core = {"id", "file", "sha256", "title", "type", "layout", "authors", "references",
                "reference_count", "__line__"}
        documents.append(Document(
            id=record["id"], file=record["file"], sha256=record["sha256"], title=record["title"],
            type=record["type"], layout=record["layout"],
            authors=_strings(record.get("authors"), path, record, "authors"),
            references=_strings(record.get("references"), path, record, "references"),
            reference_count=int(record.get("reference_count") or 0),
            bibliographic={k: v for k, v in record.items() if k not in core},
        ))
    return documents


def load_predicates(data: Path | None = None) -> list[Predicate]:
    path = Path(data or DEFAULT_DATA) / "predicates.yaml"
    predicates = []
    for record in _read_yaml(path):
        _require(record, ("id", "label", "sign", "definition", "biolink"), path, "predicate")
        if record["sign"] not in (-1, 0, 1):
            raise CurationError(f"{_where(path, record)}: sign must be -1, 0 or 1")
        predicates.append(Predicate(record["id"], record["label"], record["sign"], record["definition"],
                                    record["biolink"], record.get("ro"), record.get("parent"),
                                    bool(record.get("abstract", False)), bool(record.get("hierarchy", False)),
                                    bool(record.get("passes_sign", record.get("hierarchy", False)))))
    _check_hierarchy(predicates, path)
    return predicates


def _check_hierarchy(predicates: list[Predicate], path: Path) -> None:
    """Every parent exists, the hierarchy has one root and no cycle, and each sign agrees with the
    causal root its predicate sits under (a promoter under negatively_affects would pool wrongly)."""
    by_id = {p.id: p for p in predicates}
    roots = [p.id for p in predicates if p.parent is None]
    if len(roots) != 1:
        raise CurationError(f"{path}: the predicate hierarchy needs exactly one root (no parent), found {roots}")
    for predicate in predicates:
        chain, name = [], predicate.id
        while name is not None:
            if name in chain:
                raise CurationError(f"{path}: predicate {predicate.id!r}: its parents form a cycle {chain + [name]}")
            if name not in by_id:
                raise CurationError(f"{path}: predicate {chain[-1]!r}: unknown parent {name!r}")
            chain.append(name)
            name = by_id[name].parent
        branch = polarity(by_id, predicate.id)
        if (predicate.hierarchy or predicate.passes_sign) and branch != "non_causal":
            raise CurationError(f"{path}: predicate {predicate.id!r} is marked hierarchy or passes_sign but sits under "
                                f"the causal {branch} branch; only a non-causal relation can pass a sign through")
        if branch in ROOT_SIGNS and predicate.sign != ROOT_SIGNS[branch]:
            raise CurationError(f"{path}: predicate {predicate.id!r} has sign {predicate.sign} but sits under "
                                f"the {branch} branch (sign {ROOT_SIGNS[branch]})")


def _xrefs(record: dict, path: Path) -> tuple[Xref, ...]:
    xrefs = []
    for xref in record.get("xrefs") or []:
        _require(xref, ("id", "match", "source"), path, "xref")
        if xref["match"] not in MATCHES:
            raise CurationError(f"{_where(path, xref)}: match must be one of {', '.join(MATCHES)}")
        if ":" not in xref["id"]:
            raise CurationError(f"{_where(path, xref)}: xref {xref['id']!r} is not a CURIE")
        if xref["source"] not in XREF_SOURCES:
            raise CurationError(f"{_where(path, xref)}: unknown source {xref['source']!r}; use one of "
                                f"{', '.join(XREF_SOURCES)}")
        xrefs.append(Xref(xref["id"], xref["match"], xref["source"]))
    return tuple(xrefs)


def load_nodes(data: Path | None = None) -> list[Node]:
    nodes = []
    for path in sorted((Path(data or DEFAULT_DATA) / "nodes").glob("*.yaml")):
        for record in _read_yaml(path) or []:
            _require(record, ("id", "label", "category", "definition"), path, "node")
            if record["category"] not in CATEGORIES:
                raise CurationError(f"{_where(path, record)}: unknown category {record['category']!r}; "
                                    f"use one of {', '.join(CATEGORIES)}")
            nodes.append(Node(
                id=record["id"], label=record["label"], category=record["category"],
                definition=record["definition"].strip(),
                synonyms=_strings(record.get("synonyms"), path, record, "synonyms"),
                mentions=_strings(record.get("mentions"), path, record, "mentions"),
                xrefs=_xrefs(record, path), origin=_where(path, record),
            ))
    return nodes


def read_passages(data: Path | None = None) -> dict[tuple[str, str], dict]:
    """The located spans in ``passages.tsv``, keyed by (document, locator)."""
    path = Path(data or DEFAULT_DATA) / "passages.tsv"
    if not path.is_file():
        return {}
    rows = csv.DictReader(_read_text(path).splitlines(), delimiter="\t")
    if tuple(rows.fieldnames or ()) != PASSAGE_COLUMNS:
        raise CurationError(f"{path}:1: the header must be the tab-separated columns {' '.join(PASSAGE_COLUMNS)}")
    passages = {}
    for row in rows:
        _check_passage(row, f"{path}:{rows.line_num}")
        passages[row["document"], row["locator"]] = row
    return passages


def _check_passage(row: dict, where: str) -> None:
    """A row of passages.tsv has every column, a well-formed locator, a span, a SHA-256 and maybe a reference."""
    if None in row or None in row.values():
        raise CurationError(f"{where}: a passage has {len(PASSAGE_COLUMNS)} tab-separated fields")
    _check_locator(row["locator"], where)
    if not (NUMBER.fullmatch(row["start"]) and NUMBER.fullmatch(row["end"]) and int(row["start"]) < int(row["end"])):
        raise CurationError(f"{where}: start and end must be character offsets, start before end")
    if not SHA256.fullmatch(row["sha256"]):
        raise CurationError(f"{where}: sha256 must be 64 lowercase hexadecimal digits")
    if row["reference"] and not NUMBER.fullmatch(row["reference"]):
        raise CurationError(f"{where}: reference must be a reference number or empty")


def write_passages(passages, data: Path | None = None) -> Path:
    """Write the located spans, sorted, so that the file diffs cleanly."""
    path = Path(data or DEFAULT_DATA) / "passages.tsv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(PASSAGE_COLUMNS)
        for p in sorted(passages, key=lambda p: (p.document, p.start, p.end)):
            writer.writerow((p.document, p.locator, p.start, p.end, p.sha256, p.reference or ""))
    return path


def _statement_records(data: Path, documents: dict[str, Document]):
    """(path, document id, statement record) for every curated statement."""
    for path in sorted((data / "statements").glob("*.yaml")):
        content = _read_yaml(path) or {}
        if not isinstance(content, dict) or content.get("document") not in documents:
            raise CurationError(f"{path}:1: a statements file starts with `document:` naming one of "
                                f"{', '.join(documents)}")
        for record in content.get("statements") or []:
            yield path, content["document"], record


def cited_locators(data: Path | None = None) -> dict[tuple[str, str], str]:
    """Every (document, locator) that a statement cites, with the ``file:line`` first citing it, for ``kg locate``."""
    data = Path(data or DEFAULT_DATA)
    documents = {d.id: d for d in load_documents(data)}
    cited = {}
    for path, document, record in _statement_records(data, documents):
        for citation in record.get("citations") or []:
            if isinstance(citation, dict) and citation.get("locator"):
                where = _where(path, citation)
                _check_locator(citation["locator"], where)
                cited.setdefault((document, citation["locator"]), where)
    return cited


def locate_cited(sources: Path, data: Path | None = None):
    """Locate every cited passage in the source files (the content of ``passages.tsv``)."""
    data = Path(data or DEFAULT_DATA)
    documents = {d.id: d for d in load_documents(data)}
    by_document: dict[str, list[tuple[str, str]]] = {}
    for (document, locator), where in cited_locators(data).items():
        by_document.setdefault(document, []).append((locator, where))
    for document, locators in sorted(by_document.items()):
        text = documents[document].read_source(sources)
        sentences = segment(text, documents[document].layout)
        for locator, where in locators:
            try:
                yield locate(document, text, sentences, locator)
            except NotFoundError as error:
                hint = f"`kg sentences {document}` lists its locators"
                raise CurationError(f"{where}: {error.message}; {hint}") from error


def _qualifiers(record: dict, nodes: dict[str, Node], path: Path) -> Qualifiers:
    """The context a statement record gives (``qualifiers:``), each node it names checked."""
    if "qualifiers" not in record:
        return Qualifiers()
    given = record["qualifiers"]
    _require(given, (), path, "qualifiers")
    where = _where(path, given)
    via = _strings(given.get("via"), path, given, "via")
    named = [*via, *([given["location"]] if given.get("location") else [])]
    for node in named:
        if node not in nodes:
            raise CurationError(f"{where}: unknown node {node!r} in qualifiers; add it under data/nodes/")
    if given.get("subject_form") and given["subject_form"] not in SUBJECT_FORMS:
        raise CurationError(f"{where}: subject_form must be one of {', '.join(SUBJECT_FORMS)}")
    qualifiers = Qualifiers(via, given.get("subject_form"), given.get("location"))
    if not qualifiers:
        raise CurationError(f"{where}: qualifiers is empty; give via, subject_form or location, or drop it")
    if {record["subject"], record["object"]} & set(named):
        raise CurationError(f"{where}: a qualifier names the statement's own subject or object")
    return qualifiers


def _citation(record: dict, document: Document, passages: dict, path: Path) -> Citation:
    _require(record, ("locator", "certainty", "statement"), path, "citation")
    where = _where(path, record)
    if record["certainty"] not in CERTAINTIES:
        raise CurationError(f"{where}: certainty must be one of {', '.join(CERTAINTIES)}")
    _check_locator(record["locator"], where)
    passage = passages.get((document.id, record["locator"]))
    if passage is None:
        raise CurationError(f"{where}: passage {document.id} {record['locator']} is not located in "
                            "data/passages.tsv; run `kg locate --sources DIR`")
    reference = record.get("reference") or (int(passage["reference"]) if passage["reference"] else None)
    if reference is not None and not 1 <= reference <= max(document.reference_count, 0):
        raise CurationError(f"{where}: {document.id} has no reference [{reference}]")
    return Citation(document.id, record["locator"], record["certainty"], " ".join(record["statement"].split()),
                    int(passage["start"]), int(passage["end"]), passage["sha256"], reference, where)


def load_background(nodes: dict[str, Node], predicates: dict[str, Predicate],
                    data: Path | None = None) -> list[BackgroundFact]:
    """The hierarchy relations of ``hierarchy.yaml``: each from a standard resource, with the record
    checked there, on a hierarchy predicate (member_of, subclass_of...), between known nodes."""
    path = Path(data or DEFAULT_DATA) / "hierarchy.yaml"
    if not path.is_file():
        return []
    facts: dict[tuple[str, str, str], BackgroundFact] = {}
    for record in _read_yaml(path) or []:
        _require(record, ("subject", "predicate", "object", "knowledge_source", "record", "note"), path,
                 "background fact")
        where = _where(path, record)
        for role in ("subject", "object"):
            if record[role] not in nodes:
                raise CurationError(f"{where}: unknown {role} node {record[role]!r}; add it under data/nodes/")
        predicate = predicates.get(record["predicate"])
        if predicate is None or not predicate.hierarchy:
            usable = sorted(name for name, p in predicates.items() if p.hierarchy)
            raise CurationError(f"{where}: background knowledge is a hierarchy relation; "
                                f"use one of {', '.join(usable)}")
        if record["knowledge_source"] not in KNOWLEDGE_SOURCES:
            raise CurationError(f"{where}: knowledge_source must be one of {', '.join(KNOWLEDGE_SOURCES)}")
        if not _is_curie(record["record"]):
            raise CurationError(f"{where}: record {record['record']!r} is not a CURIE with a declared prefix")
        fact = BackgroundFact(record["subject"], record["predicate"], record["object"], record["knowledge_source"],
                              record["record"], " ".join(record["note"].split()), where)
        if fact.key in facts:
            raise CurationError(f"{where}: duplicate background fact {' '.join(fact.key)} (first at "
                                f"{facts[fact.key].origin})")
        facts[fact.key] = fact
    return list(facts.values())


def _is_curie(text: str) -> bool:
    prefix, sep, local = str(text).partition(":")
    return bool(sep and local) and prefix in CURIE_MAP


def _unsigned_because(record: dict, predicate: Predicate, where: str) -> str | None:
    """The curator's reason why a causal statement has no sign; allowed only where its predicate has none."""
    if "unsigned_because" not in record:
        return None
    reason = record["unsigned_because"]
    if not isinstance(reason, str) or not reason.strip():
        raise CurationError(f"{where}: unsigned_because must be a sentence saying why the statement has no sign")
    if predicate.sign != 0:
        raise CurationError(f"{where}: unsigned_because is only for unsigned statements, and {predicate.id} has "
                            f"sign {predicate.sign:+d}; drop the field")
    if predicate.id not in UNSIGNED_CAUSAL:
        raise CurationError(f"{where}: unsigned_because explains a causal statement without a direction "
                            f"({', '.join(UNSIGNED_CAUSAL)}), and {predicate.id} is not causal; drop the field")
    return " ".join(reason.split())


def load(data: Path | None = None) -> CuratedGraph:
    """Read and check every curated file; the result is consistent or a CurationError is raised."""
    data = Path(data or DEFAULT_DATA)
    documents = {d.id: d for d in load_documents(data)}
    predicates = {p.id: p for p in load_predicates(data)}
    nodes: dict[str, Node] = {}
    for node in load_nodes(data):
        if node.id in nodes:
            raise CurationError(f"{node.origin}: duplicate node id {node.id!r} (first at {nodes[node.id].origin})")
        nodes[node.id] = node
    passages = read_passages(data)
    statements: dict[tuple[str, str, str], Statement] = {}
    seen_in_file: dict[tuple, str] = {}
    for path, document_id, record in _statement_records(data, documents):
        _require(record, ("subject", "predicate", "object", "citations"), path, "statement")
        where = _where(path, record)
        for role in ("subject", "object"):
            if record[role] not in nodes:
                raise CurationError(f"{where}: unknown {role} node {record[role]!r}; add it under data/nodes/")
        if record["predicate"] not in predicates or predicates[record["predicate"]].abstract:
            usable = sorted(name for name, predicate in predicates.items() if not predicate.abstract)
            raise CurationError(f"{where}: unknown predicate {record['predicate']!r}; use one of {', '.join(usable)}")
        if record["subject"] == record["object"]:
            raise CurationError(f"{where}: a statement cannot relate {record['subject']!r} to itself")
        key = (record["subject"], record["predicate"], record["object"])
        if (path, key) in seen_in_file:
            raise CurationError(f"{where}: duplicate statement {' '.join(key)} (first at {seen_in_file[path, key]}); "
                                "put all its citations in one record")
        seen_in_file[path, key] = where
        reason = _unsigned_because(record, predicates[record["predicate"]], where)
        qualifiers = _qualifiers(record, nodes, path)
        statement = statements.setdefault(key, Statement(*key, citations=[], origin=where))
        if reason and reason != statement.unsigned_because:  # several documents' reasons, in file order
            statement.unsigned_because = " ".join(filter(None, (statement.unsigned_because, reason)))
        for citation_record in record["citations"]:
            citation = replace(_citation(citation_record, documents[document_id], passages, path),
                               qualifiers=qualifiers)
            if any((c.document, c.locator) == (citation.document, citation.locator) for c in statement.citations):
                raise CurationError(f"{citation.origin}: duplicate citation {citation.document} {citation.locator} "
                                    f"for {' '.join(key)}")
            statement.citations.append(citation)
    background = load_background(nodes, predicates, data)
    for fact in background:
        if fact.key in statements:
            raise CurationError(f"{fact.origin}: {' '.join(fact.key)} is stated by a document "
                                f"({statements[fact.key].origin}); the document's citation is the evidence, drop this")
    return CuratedGraph(nodes, predicates, documents, list(statements.values()), background)
