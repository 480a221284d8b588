"""Write a release of the graph (``kg release VERSION``): ``dist/metastasis-kg-VERSION/`` with the
graph in every exchange format the export offers (through ``kg.exchange.export.serialize_selection``,
as ``kg export`` and ``/export`` do), a release record as DCAT/VoID RDF (``release.ttl``) and as
JSON (``release.json``) with the counts and the SHA-256 of every file, a changelog section
(``CHANGELOG.md``: the claim-level diff against the previous release), and ``SHA256SUMS``.

>>> valid_version("1.2.0"), valid_version("2026.12-rc1")
('1.2.0', '2026.12-rc1')
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from kg.errors import InvalidQueryError, KGError
from kg.release.diff import compare, render
from kg.release.snapshot import RELEASE_GRAPH, Snapshot, from_exchange, load_snapshot

#: (file name, export format, gzip it): what a release holds, in this order
RELEASE_FILES = (
    (RELEASE_GRAPH, "nt", True),
    ("metastasis-kg.ttl", "turtle", False),
    ("metastasis-kg.jsonld", "jsonld", False),
    ("metastasis-kg.graphml", "graphml", False),
    ("metastasis-kg.kgx.json", "kgx", False),
    ("metastasis-kg.kgx.tar.gz", "kgx-tsv", False),
    ("metastasis-kg.sssom.tsv", "sssom", False),
)
NAME = "metastasis-kg"
TITLE = "metastasis-kg: a curated, cited knowledge graph of cancer metastasis"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
HOMEPAGE = "https://w3id.org/metastasis-kg/"
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT3_VERSION = URIRef(f"{DCAT}version")  # DCAT 3; rdflib's DCAT namespace predates it
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")


@dataclass
class Release:
    folder: Path
    record: dict
    missing_formats: list[str]


def valid_version(version: str) -> str:
    """``version`` if it can name a release folder, else an error."""
    if not isinstance(version, str) or not VERSION.fullmatch(version) or ".." in version:
        raise InvalidQueryError(f"release version {version!r} must be letters, digits and . + _ - (e.g. 1.2.0)")
    return version


def how_to_cite(version: str, date: str) -> str:
    return f"metastasis-kg contributors. {TITLE}. Version {version}, released {date}. {HOMEPAGE}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_rdf(record: dict) -> Graph:
    """The release record as a DCAT dataset and VoID description: version, date, licence, counts
    (class and property partitions) and each file as a distribution with its size and SHA-256."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("void", VOID), ("spdx", SPDX), ("owl", OWL)):
        graph.bind(prefix, namespace)
    dataset = URIRef(f"{HOMEPAGE}release/{record['version']}")
    counts = record["counts"]
    for p, o in ((RDF.type, DCAT.Dataset), (RDF.type, VOID.Dataset), (DCTERMS.title, Literal(TITLE)),
                 (OWL.versionInfo, Literal(record["version"])), (DCAT3_VERSION, Literal(record["version"])),
                 (DCTERMS.issued, Literal(record["date"], datatype=XSD.date)), (DCTERMS.license, URIRef(LICENSE)),
                 (DCTERMS.bibliographicCitation, Literal(record["how_to_cite"])),
                 (VOID.triples, Literal(counts["triples"])), (VOID.entities, Literal(counts["entities"])),
                 (DCAT.landingPage, URIRef(HOMEPAGE))):
        graph.add((dataset, p, o))
    if record.get("previous_release"):
        graph.add((dataset, DCAT.previousVersion, URIRef(f"{HOMEPAGE}release/{record['previous_release']}")))
    for category, n in counts["entities_per_category"].items():
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], Literal(category)))
        graph.add((partition, VOID.entities, Literal(n)))
    for predicate, n in counts["claims_per_predicate"].items():
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(f"{HOMEPAGE}{predicate}")))
        graph.add((partition, VOID.triples, Literal(n)))
    for item in record["files"]:
        distribution, checksum = URIRef(f"{dataset}/{item['name']}"), BNode()
        for p, o in ((RDF.type, DCAT.Distribution), (DCAT.downloadURL, Literal(item["name"])),
                     (DCAT.mediaType, Literal(item["media_type"])), (DCAT.byteSize, Literal(item["bytes"])),
                     (DCTERMS.format, Literal(item["format"])), (SPDX.checksum, checksum)):
            graph.add((distribution, p, o))
        if item.get("compression"):
            graph.add((distribution, DCAT.compressFormat, Literal(f"application/{item['compression']}")))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(item["sha256"])))
        graph.add((dataset, DCAT.distribution, distribution))
    return graph


def _exports(graph_file: Path) -> tuple[dict[str, bytes], list[str], Snapshot, int]:
    """(file name -> bytes, formats the export does not offer, snapshot, triple count) of a built graph."""
    from kg.exchange import export
    from kg.exchange.graph import exchange_graph
    from kg.exchange.quads import read_graph
    from kg.exchange.rdfio import load_dataset

    store = load_dataset(graph_file)
    exchange = exchange_graph(read_graph(store))
    files, missing = {}, []
    for name, fmt, compressed in RELEASE_FILES:
        if fmt not in export.FORMATS:
            missing.append(fmt)
            continue
        data = export.serialize_selection(store, exchange, fmt)
        files[name] = gzip.compress(data, mtime=0) if compressed else data
    return files, missing, from_exchange(exchange), len(store)


def write_release(version: str, graph_file: Path, dist: Path, previous: str | Path | None = None,
                  date: str | None = None) -> Release:
    """Write ``dist/metastasis-kg-VERSION/`` from a built graph file; ``previous`` (a release folder,
    graph file or git revision) is what the changelog section compares with."""
    from kg.exchange.export import MEDIA_TYPES

    version = valid_version(version)
    date = date or dt.date.today().isoformat()
    folder = Path(dist) / f"{NAME}-{version}"
    if folder.exists():
        raise KGError(f"{folder} exists; a release is never overwritten (choose another version)")
    files, missing, snapshot, triples = _exports(graph_file)
    counts = {"triples": triples, **snapshot.counts()}
    previous_name = Path(previous).name.removeprefix(f"{NAME}-") if previous else None
    previous_record = Path(previous or "", "release.json")
    previous_release = json.loads(previous_record.read_text())["version"] if previous and previous_record.is_file() \
        else None  # a graph file or a git revision is compared with, but is no release to link to
    changes = render(compare(load_snapshot(previous), snapshot), "markdown", previous_name, version) if previous \
        else f"## Changes from nothing to {version}\n\nThe first release.\n"
    formats = {name: fmt for name, fmt, _ in RELEASE_FILES}
    compressed = {name for name, _, gzipped in RELEASE_FILES if gzipped}
    files["CHANGELOG.md"] = f"# {NAME} {version} ({date})\n\n{changes}".encode()
    record = {"name": NAME, "title": TITLE, "version": version, "date": date, "license": LICENSE,
              "how_to_cite": how_to_cite(version, date), "previous": previous_name,
              "previous_release": previous_release, "counts": counts,
              "missing_formats": missing,
              "files": [{"name": name, "format": formats.get(name, "markdown"),
                         "media_type": MEDIA_TYPES.get(formats.get(name), "text/markdown"),
                         "compression": "gzip" if name in compressed else None,
                         "bytes": len(data), "sha256": _sha256(data)} for name, data in files.items()]}
    files["release.json"] = (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode()
    files["release.ttl"] = release_rdf(record).serialize(format="turtle", encoding="utf-8")
    files["SHA256SUMS"] = "".join(f"{_sha256(data)}  {name}\n" for name, data in files.items()).encode()
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return Release(folder, record, missing)


def latest_release(dist: Path, before: str) -> Path | None:
    """The newest release folder in ``dist`` other than ``before`` (by the date in its record)."""
    found = []
    for record in Path(dist).glob(f"{NAME}-*/release.json"):
        content = json.loads(record.read_text(encoding="utf-8"))
        if content.get("version") != before:
            found.append((content.get("date", ""), record.parent.stat().st_mtime, record.parent))
    return max(found)[2] if found else None
