"""Signs carry the evidence: a causal statement is signed where its passage gives a direction, and an
unsigned one (regulates, affects, associated_with) says why in ``unsigned_because``.

`pytest -rA tests/test_signed_evidence.py` prints the statements that stay unsigned, with their reasons.
"""


import pytest
from rdflib import Literal

from kg.curation import loader as curation
from kg.curation import validate
from kg.curation.build import build
from kg.curation.rdf import association_iri, to_rdf
from kg.errors import CurationError
from kg.exchange.graph import to_networkx
from kg.vocab import MKG
from tests.conftest import write_statements

TGF_BETA = ("tgf_beta", "tgf_beta_signaling")


@pytest.fixture(scope="module")
def curated():
    return curation.load()


def _unsigned_causal(curated):
    return [s for s in curated.statements
            if s.predicate in curation.UNSIGNED_CAUSAL and curated.predicates[s.predicate].sign == 0]


def test_every_unsigned_causal_statement_says_why(curated):
    unsigned = _unsigned_causal(curated)
    listing = "\n".join(
        f"{s.subject} {s.predicate} {s.object} [{', '.join(sorted({c.document for c in s.citations}))}]: "
        f"{s.unsigned_because or 'NO REASON GIVEN'}"
        for s in sorted(unsigned, key=lambda s: s.key))
    print(f"{len(unsigned)} causal statements without a sign:\n{listing}")
    missing = [s for s in unsigned if not s.unsigned_because]
    assert not missing, (f"{len(missing)} unsigned causal statement(s) lack unsigned_because "
                         f"(sign them if the passage gives a direction, else say why not):\n{listing}")


def test_each_reason_is_on_its_association_node(curated):
    graph = to_rdf(curated)
    for statement in curated.statements:
        reasons = list(graph.objects(association_iri(statement), MKG.unsignedBecause))
        assert reasons == ([Literal(statement.unsigned_because)] if statement.unsigned_because else []), statement.key


def test_only_unsigned_causal_statements_carry_a_reason(curated):
    explained = [s.key for s in curated.statements if s.unsigned_because]
    assert explained and all(p in curation.UNSIGNED_CAUSAL for _, p, _ in explained)


@pytest.fixture(scope="module")
def built():
    return to_networkx(build(output=None))


def test_tgf_beta_into_emt_is_positive(curated, built):
    present = [node for node in TGF_BETA if node in curated.nodes]
    assert present, "neither tgf_beta nor tgf_beta_signaling is a node"
    edges = [s for s in curated.statements if s.subject in present and s.object == "emt"]
    assert edges, f"no edge from {present} into emt"
    for statement in edges:
        assert curated.predicates[statement.predicate].sign == 1, statement.key
        for key, data in built.get_edge_data(f"mkg:{statement.subject}", "mkg:emt").items():
            assert data["sign"] == 1, (statement.subject, key)


GOOD = """\
document: wolf2025
statements:
  - subject: immune_surveillance
    predicate: regulates
    object: tumor_dormancy
    unsigned_because: Control is named, not its direction.
    citations:
      - locator: introduction/p8/s2
        certainty: stated
        statement: Immunity is said to govern dormancy.
"""
PASSAGES = ("document\tlocator\tstart\tend\tsha256\treference\n"
            "wolf2025\tintroduction/p8/s2\t100\t200\t" + "0" * 64 + "\t8\n")


def _write(data, body):
    write_statements(data, body, PASSAGES)


def test_a_reason_loads_and_validates(scratch_data):
    _write(scratch_data, GOOD)
    curated = curation.load(scratch_data)
    (statement,) = curated.statements
    assert statement.unsigned_because == "Control is named, not its direction."
    graph = to_rdf(curated)
    validate.check(graph)
    assert graph.value(association_iri(statement), MKG.unsignedBecause) == Literal(statement.unsigned_because)


@pytest.mark.parametrize("change, message", [
    (("predicate: regulates", "predicate: inhibits"),
     "wolf2025.yaml:3: unsigned_because is only for unsigned statements, and inhibits has sign -1; drop the field"),
    (("predicate: regulates", "predicate: precedes"),
     "wolf2025.yaml:3: unsigned_because explains a causal statement without a direction "
     "(regulates, affects, associated_with), and precedes is not causal; drop the field"),
    (("unsigned_because: Control is named, not its direction.", "unsigned_because: ''"),
     "wolf2025.yaml:3: unsigned_because must be a sentence saying why the statement has no sign"),
    (("unsigned_because: Control is named, not its direction.", "unsigned_because: [a, b]"),
     "wolf2025.yaml:3: unsigned_because must be a sentence saying why the statement has no sign"),
    (("unsigned_because:", "unsigned_since:"), "wolf2025.yaml:3: statement has unknown field(s) unsigned_since"),
])
def test_a_misplaced_or_empty_reason_fails_with_file_line(scratch_data, change, message):
    _write(scratch_data, GOOD.replace(*change))
    with pytest.raises(CurationError) as error:
        curation.load(scratch_data)
    assert message in str(error.value)


def test_reasons_from_several_documents_are_kept(scratch_data):
    _write(scratch_data, GOOD)
    other = GOOD.replace("document: wolf2025", "document: glimm2025").replace(
        "Control is named, not its direction.", "Another reading.").replace(
        "introduction/p8/s2", "introduction/p4/s1")
    (scratch_data / "statements" / "glimm2025.yaml").write_text(other)
    (scratch_data / "passages.tsv").write_text(
        PASSAGES + "glimm2025\tintroduction/p4/s1\t100\t200\t" + "0" * 64 + "\t4\n")
    (statement,) = curation.load(scratch_data).statements
    assert statement.unsigned_because == "Another reading. Control is named, not its direction."
