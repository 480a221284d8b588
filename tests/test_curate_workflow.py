"""A new document from file to served, cited edges: ``kg curate add`` -> ``suggest`` -> review ->
accept two candidates -> ``kg locate`` -> ``kg build`` -> ``verify-citations`` -> the REST API.

The document (tests/data/curation/bone_note.md) was written for this test in our own words: a few
paragraphs naming known nodes (hypoxia, EMT, TGF-beta, CAFs) and unknown ones (osteoclasts,
marrow), numbered references with a list, and a bulleted list. The data directory is a copy of
data/ without the five documents' statements, so nothing here reads ../shared/seeds.
"""

import doctest
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.cli import main
from kg.curation import accept, extract, intake, loader, mentions, review, suggest
from kg.curation.build import build
from kg.curation.extract import extract_html, extract_pdf
from kg.curation.intake import add_document, detect_layout
from kg.curation.verify import verify
from kg.errors import CurationError
from tests.conftest import DATA, PROJECT

NOTE = PROJECT / "tests" / "data" / "curation" / "bone_note.md"
ACCEPTED = {  # two candidates the curator accepts: locator, certainty, paraphrase (our words), reference
    ("tgf_beta", "promotes", "emt"): ("introduction/p1/s3", "stated", "The growth factor is said to push cells "
                                      "into EMT.", 2),
    ("hypoxia", "promotes", "emt"): ("introduction/p1/s2", "hedged", "Lack of oxygen might push rim cells towards "
                                     "EMT.", 1),
}


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    """(data directory without any document's statements, empty sources directory)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.md", "candidates"))
    for statements in (data / "statements").glob("*.yaml"):
        statements.unlink()
    (data / "passages.tsv").unlink()
    sources = tmp_path / "sources"
    sources.mkdir()
    return data, sources


def _accept(data: Path, paraphrase: bool) -> None:
    """Move the accepted candidates into data/statements/bone_note.yaml, as a curator would."""
    candidates = yaml.safe_load((data / "candidates" / "bone_note.yaml").read_text())["candidates"]
    records = []
    for candidate in candidates:
        key = (candidate["subject"], candidate["predicate"], candidate["object"])
        if key in ACCEPTED:
            locator, certainty, statement, _ = ACCEPTED[key]
            cited = [c for c in candidate["citations"] if c["locator"] == locator]
            assert cited and cited[0]["certainty"] == certainty, (key, candidate["citations"])
            records.append({"subject": key[0], "predicate": key[1], "object": key[2], "citations": [
                {"locator": locator, "certainty": certainty, "statement": statement if paraphrase else ""}]})
    assert len(records) == len(ACCEPTED)
    (data / "statements" / "bone_note.yaml").write_text(yaml.safe_dump({"document": "bone_note",
                                                                        "statements": records}))


def test_a_new_document_goes_from_file_to_served_cited_edges(workspace, tmp_path, capsys):
    data, sources = workspace
    assert main(["--data-dir", str(data), "curate", "add", str(NOTE), "--id", "bone_note",
                 "--sources", str(sources)]) == 0
    added = capsys.readouterr().out
    assert "bone_note\tintroduction/p1/s3\t[2]\tTGF-beta drives" in added

    document = loader.load(data).documents["bone_note"]
    written = (sources / document.file).read_bytes()
    assert document.sha256 == hashlib.sha256(written).hexdigest() == hashlib.sha256(NOTE.read_bytes()).hexdigest()
    assert document.layout["sections"] == ["## Introduction", "## Spread to bone"]
    assert document.reference_count == len(document.references) == 4
    assert document.references[2].startswith("Sample D, Example E. Bone as a soil")

    assert main(["--data-dir", str(data), "curate", "suggest", "bone_note", "--sources", str(sources)]) == 0
    proposed = yaml.safe_load((data / "candidates" / "bone_note.yaml").read_text())
    assert {t["term"] for t in proposed["new_terms"]} >= {"Osteoclasts", "marrow"}
    assert all(c["statement"] == "" for candidate in proposed["candidates"] for c in candidate["citations"])
    pairs = [{c["subject"], c["object"]} for c in proposed["candidates"]]
    assert {"bone", "lung"} not in pairs, "a list of sites is not a claim about them"

    page = tmp_path / "review.html"
    assert main(["--data-dir", str(data), "curate", "review", "bone_note", "--sources", str(sources),
                 "-o", str(page)]) == 0
    assert "tgf_beta promotes(+) emt [stated: drives]" in capsys.readouterr().out
    assert '<mark title="tgf_beta">TGF-beta</mark>' in page.read_text()

    _accept(data, paraphrase=False)
    assert main(["--data-dir", str(data), "locate", "--sources", str(sources)]) == 0
    with pytest.raises(CurationError, match="citation lacks statement"):
        loader.load(data)

    _accept(data, paraphrase=True)
    graph_file = tmp_path / "graph.nt"
    build(data, output=graph_file)
    checked, failures = verify(loader.load(data), sources)
    assert (checked, failures) == (2, [])

    with TestClient(create_app(Settings(data_file=graph_file, workers=1))) as client:
        for (subject, predicate, obj), (locator, certainty, statement, reference) in ACCEPTED.items():
            edges = client.get("/edges", params={"subject": subject, "object": obj}).json()["edges"]
            assert [e["predicate"] for e in edges] == [predicate]
            cited = edges[0]["citations"]
            assert [(c["document"], c["locator"], c["certainty"], c["statement"]) for c in cited] == [
                ("bone_note", locator, certainty, statement)]
            assert cited[0]["reference"] == {"number": reference, "entry": document.references[reference - 1],
                                             "note": None}


def test_add_refuses_a_taken_id_and_an_unknown_format(workspace, tmp_path):
    data, sources = workspace
    with pytest.raises(CurationError, match="already has a document 'wolf2025'"):
        add_document(NOTE, "wolf2025", sources, data)
    odd = tmp_path / "note.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(CurationError, match="unsupported format '.docx'"):
        add_document(odd, "odd", sources, data)
    with pytest.raises(CurationError, match="must be lower case"):
        add_document(NOTE, "Bone Note", sources, data)


def test_html_becomes_markdown_with_citations_and_a_reference_list():
    page = ("<html><head><script>track()</script></head><body><nav>Home</nav><h1>Bone and tumours</h1>"
            "<h2>Introduction</h2><p>Osteoclasts help tumour cells grow in bone<sup>1</sup>.</p>"
            "<h2>References</h2><ol><li>Example A. A note. 2020.</li></ol></body></html>")
    extraction = extract_html(page)
    assert extraction.text == ("# Bone and tumours\n\n## Introduction\n\nOsteoclasts help tumour cells grow in "
                               "bone [1].\n\n## References\n\n- Example A. A note. 2020.\n")
    assert extraction.quirks == ["dropped 1 <nav> element(s) and their text",
                                 "dropped 1 <script> element(s) and their text",
                                 "1 superscript number(s) written as [n]"]
    detected = detect_layout(extraction.text)
    assert detected.title == "Bone and tumours"
    assert (detected.references, detected.cited) == (["Example A. A note. 2020."], [1])
    assert detected.layout == {"kind": "markdown", "sections": ["Introduction"], "end": "References"}


def _pdf(path: Path, pages: list[list[str]]) -> None:
    """A PDF whose pages hold ``pages``' lines in Helvetica, one text line each."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                                NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        shown = " ".join(f"({line}) Tj 0 -14 Td" for line in lines)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 11 Tf 72 740 Td {shown} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as handle:
        writer.write(handle)


def test_pdf_extraction_removes_running_lines_joins_hyphens_and_reports_it(tmp_path):
    pytest.importorskip("pypdf")
    pdf = tmp_path / "note.pdf"
    body = "Tumour cells that reach the bone marrow meet osteoclasts, which break down the mineral"
    _pdf(pdf, [["Teaching Notes 2026", "Introduction", body, "matrix and free growth signals for the meta-",
                "static colony [1].", "1"],
               ["Teaching Notes 2026", "A second page carries on the argument with more words in it", "and ends.",
                "2"]])
    extraction = extract_pdf(pdf)
    assert "Teaching Notes" not in extraction.text and "\n1\n" not in extraction.text
    assert "metastatic colony [1]." in extraction.text
    assert extraction.quirks[:3] == ["removed 4 running header/footer/page-number line(s)",
                                     "1 word(s) hyphenated across a line end joined",
                                     "2 paragraph break(s) put after short lines ending a sentence"]
    assert extraction.extractor.startswith("pypdf ")


@pytest.mark.parametrize("module", [mentions, suggest, intake, extract, review, accept], ids=lambda m: m.__name__)
def test_module_examples_run(module):
    assert doctest.testmod(module).failed == 0


def test_accept_moves_numbered_candidates_and_the_build_names_each_paraphrase_to_write(workspace, capsys):
    data, _ = workspace
    proposals = [
        suggest.Candidate("hypoxia", "promotes", "angiogenesis", 1,
                          [suggest.CandidateCitation("introduction/p4/s3", "hedged", "cue", "drive")]),
        suggest.Candidate("tgf_beta", "promotes", "emt", 1,
                          [suggest.CandidateCitation("introduction/p6/s2", "stated", "cue", "drives"),
                           suggest.CandidateCitation("introduction/p6/s3", "implied", "graph")]),
        suggest.Candidate("emt", "associated_with", "hypoxia", 0,
                          [suggest.CandidateCitation("introduction/p6/s2", "implied", "co-mention")]),
    ]
    candidates = data / "candidates" / "wolf2025.yaml"
    candidates.parent.mkdir()
    candidates.write_text(suggest.candidates_yaml(suggest.Suggestions("wolf2025", proposals, [], 6, 3)))

    assert main(["--data-dir", str(data), "curate", "accept", "wolf2025", "3", "2"]) == 0
    assert "tgf_beta promotes emt: 2 citation(s)" in capsys.readouterr().out
    left = review.read_candidates(candidates)["candidates"]
    assert [(c["subject"], c["object"]) for c in left] == [("hypoxia", "angiogenesis")]
    assert candidates.read_text().startswith("# Candidates for wolf2025")

    statements = data / "statements" / "wolf2025.yaml"
    records = yaml.safe_load(statements.read_text())["statements"]
    assert [(r["subject"], r["predicate"], r["object"], [(c["locator"], c["certainty"], c["statement"])
                                                         for c in r["citations"]]) for r in records] == [
        ("tgf_beta", "promotes", "emt", [("introduction/p6/s2", "stated", ""), ("introduction/p6/s3", "implied", "")]),
        ("emt", "associated_with", "hypoxia", [("introduction/p6/s2", "implied", "")])]
    todo_lines = [n for n, line in enumerate(statements.read_text().splitlines(), 1) if "TODO" in line]
    assert len(todo_lines) == 3
    with pytest.raises(CurationError, match=rf"statements/wolf2025.yaml:{todo_lines[0] - 2}: citation lacks statement"):
        loader.load(data)

    with pytest.raises(CurationError, match="has candidates 1 to 1; no 2, 5"):
        accept.accept("wolf2025", [5, 2], data)
    candidates.write_text(suggest.candidates_yaml(suggest.Suggestions("wolf2025", proposals[1:2], [], 2, 2)))
    with pytest.raises(CurationError, match="already holds tgf_beta promotes emt"):
        accept.accept("wolf2025", [1], data)
