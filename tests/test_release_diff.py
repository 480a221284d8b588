"""``kg diff`` on two small hand-made graphs with known differences, and ``kg release`` writing a
folder whose record accounts for every file and whose changelog is that diff.

Both graphs are built by the curation pipeline from hand-written statements of wolf2025 (with
hand-written passages, so no source document is read); the second differs from the first by:
a certainty changed, a citation added, a claim re-signed (promotes -> inhibits), a citation moved
to another locator of the same passage, a claim removed, a claim added and a label changed.
"""

import doctest
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.cli import main
from kg.curation import loader
from kg.curation.rdf import to_rdf
from kg.errors import KGError
from kg.release import diff as diff_module
from kg.release import publish, snapshot
from kg.release.diff import compare, render
from kg.release.publish import SPDX, write_release
from kg.release.snapshot import load_snapshot
from tests.conftest import write_statements

OLD = """\
    document: wolf2025
    statements:
      - subject: hypoxia
        predicate: promotes
        object: angiogenesis
        citations:
          - {locator: introduction/p4/s3, certainty: stated, statement: Low oxygen spurs vessel growth.}
      - subject: emt
        predicate: promotes
        object: local_invasion
        citations:
          - {locator: introduction/p3/s1, certainty: stated, statement: The switch lets cells invade.}
      - subject: cancer_cell
        predicate: derives_from
        object: primary_tumor
        citations:
          - {locator: introduction/p2/s3, certainty: stated, statement: Spreading cells leave the first tumour.}
      - subject: angiogenesis
        predicate: enables
        object: metastasis
        citations:
          - {locator: introduction/p5/s1, certainty: stated, statement: New vessels open a route out.}
"""
NEW = """\
    document: wolf2025
    statements:
      - subject: hypoxia
        predicate: promotes
        object: angiogenesis
        citations:
          - {locator: introduction/p4/s3, certainty: hedged, statement: Low oxygen spurs vessel growth.}
          - {locator: introduction/p5/s1, certainty: stated, statement: Oxygen shortage is tied to new vessels.}
      - subject: emt
        predicate: inhibits
        object: local_invasion
        citations:
          - {locator: introduction/p3/s1, certainty: stated, statement: The switch lets cells invade.}
      - subject: cancer_cell
        predicate: derives_from
        object: primary_tumor
        citations:
          - {locator: introduction/p2/s4, certainty: stated, statement: Spreading cells leave the first tumour.}
      - subject: tgf_beta
        predicate: promotes
        object: emt
        citations:
          - {locator: introduction/p3/s3, certainty: stated, statement: The growth factor pushes cells into EMT.}
"""
# the passages both versions cite; p2/s3 and p2/s4 carry the same hash: the same passage, renumbered
PASSAGES = "document\tlocator\tstart\tend\tsha256\treference\n" + "".join(
    f"wolf2025\t{locator}\t{start}\t{start + 10}\t{digest * 64}\t{reference}\n"
    for locator, start, digest, reference in (
        ("introduction/p2/s3", 100, "a", 2), ("introduction/p2/s4", 200, "a", 2), ("introduction/p3/s1", 300, "b", 3),
        ("introduction/p3/s3", 400, "c", 3), ("introduction/p4/s3", 500, "d", 4), ("introduction/p5/s1", 600, "e", 5)))


@pytest.fixture
def two_graphs(scratch_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The old and the new graph as N-Triples files."""
    files = []
    for name, body in (("old", OLD), ("new", NEW)):
        data = tmp_path / name
        shutil.copytree(scratch_data, data)
        write_statements(data, body, PASSAGES)
        if name == "new":
            nodes = data / "nodes" / "processes.yaml"
            nodes.write_text(nodes.read_text().replace("label: angiogenesis\n", "label: new vessel formation\n", 1))
        files.append(tmp_path / f"{name}.nt")
        to_rdf(loader.load(data)).serialize(files[-1], format="nt", encoding="utf-8")
    return files[0], files[1]


def test_diff_finds_every_known_difference_and_nothing_else(two_graphs):
    diff = compare(load_snapshot(two_graphs[0]), load_snapshot(two_graphs[1]))
    assert diff.entities_added == diff.entities_removed == []
    assert [(c.id, c.fields) for c in diff.entities_changed] == [
        ("mkg:angiogenesis", {"label": ("angiogenesis", "new vessel formation")})]
    assert diff.claims_added == [("mkg:tgf_beta", "promotes", "mkg:emt")]
    assert diff.claims_removed == [("mkg:angiogenesis", "enables", "mkg:metastasis")]
    changes = {(c.subject, c.object): c for c in diff.claims_changed}
    assert set(changes) == {("mkg:hypoxia", "mkg:angiogenesis"), ("mkg:emt", "mkg:local_invasion"),
                            ("mkg:cancer_cell", "mkg:primary_tumor")}
    hypoxia = changes["mkg:hypoxia", "mkg:angiogenesis"]
    assert hypoxia.certainty == [("wolf2025", "introduction/p4/s3", "stated", "hedged")]
    assert hypoxia.citations_added == [("wolf2025", "introduction/p5/s1")]
    assert hypoxia.citations_removed == hypoxia.citations_moved == []
    resigned = changes["mkg:emt", "mkg:local_invasion"]
    assert (resigned.predicate, resigned.sign) == (("promotes", "inhibits"), (1, -1))
    assert resigned.citations_added == resigned.citations_removed == resigned.certainty == []
    moved = changes["mkg:cancer_cell", "mkg:primary_tumor"]
    assert moved.citations_moved == [("wolf2025", "introduction/p2/s3", "introduction/p2/s4")]
    assert moved.citations_added == moved.citations_removed == []


def test_diff_renders_as_text_markdown_and_json(two_graphs, capsys):
    diff = compare(load_snapshot(two_graphs[0]), load_snapshot(two_graphs[1]))
    markdown = render(diff, "markdown", "v1", "v2")
    assert markdown.startswith("## Changes from v1 to v2\n\n1 entity changed, 1 claim added, 1 claim removed, "
                               "3 claims changed.\n")
    assert "- mkg:emt inhibits mkg:local_invasion: predicate promotes -> inhibits (sign + -> -)" in markdown
    assert main(["diff", str(two_graphs[0]), str(two_graphs[1]), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"entities_added": 0, "entities_removed": 0, "entities_changed": 1,
                                 "claims_added": 1, "claims_removed": 1, "claims_changed": 3}
    assert compare(load_snapshot(two_graphs[1]), load_snapshot(two_graphs[1])).empty


def test_release_records_every_file_and_writes_the_diff_as_its_changelog(two_graphs, tmp_path):
    dist = tmp_path / "dist"
    first = write_release("1.0.0", two_graphs[0], dist, date="2026-01-01")
    second = write_release("1.1.0", two_graphs[1], dist, previous=first.folder, date="2026-02-01")
    folder = second.folder
    assert folder == dist / "metastasis-kg-1.1.0"
    record = json.loads((folder / "release.json").read_text())
    assert (record["version"], record["date"], record["previous_release"]) == ("1.1.0", "2026-02-01", "1.0.0")
    assert record["counts"]["claims"] == 4 and record["counts"]["citations_per_document"] == {"wolf2025": 5}
    for item in record["files"]:
        assert hashlib.sha256((folder / item["name"]).read_bytes()).hexdigest() == item["sha256"]
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {p.name for p in folder.iterdir()} - {"SHA256SUMS"}
    assert load_snapshot(folder).claims == load_snapshot(two_graphs[1]).claims
    changelog = (folder / "CHANGELOG.md").read_text()
    assert changelog.startswith("# metastasis-kg 1.1.0 (2026-02-01)\n\n## Changes from 1.0.0 to 1.1.0\n")
    assert "- mkg:tgf_beta promotes mkg:emt" in changelog
    dcat = Graph().parse(folder / "release.ttl")
    assert {str(v) for v in dcat.objects(predicate=SPDX.checksumValue)} == {i["sha256"] for i in record["files"]}
    with pytest.raises(KGError, match="never overwritten"):
        write_release("1.1.0", two_graphs[1], dist)


@pytest.mark.parametrize("module", [snapshot, diff_module, publish], ids=lambda m: m.__name__)
def test_module_examples_run(module):
    assert doctest.testmod(module).failed == 0
