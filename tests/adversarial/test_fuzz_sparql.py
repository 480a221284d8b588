"""Property-based fuzzing of /sparql with SPARQL-ish text (hypothesis).

The text is built from the pieces that broke or nearly broke the first version: keywords in any
case, every bracket kind, IRIs holding escapes, `#` and `>`, comments, strings with escapes,
SERVICE aimed at the trap, updates. For every example the server answers with a clear status
over a connection it does not drop, /health stays under a second, and the trap sees nothing.
Derandomised, so CI runs the same examples every time.
"""

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversarial.conftest import Trap, assert_clear, health_seconds
from tests.live_server import LiveServer

KEYWORDS = [
    "SELECT", "ask", "CONSTRUCT", "DESCRIBE", "WHERE", "SERVICE", "sErViCe", "SILENT", "FILTER", "OPTIONAL",
    "UNION", "MINUS", "GRAPH", "VALUES", "BIND", "AS", "FROM", "NAMED", "PREFIX", "BASE", "LOAD", "INSERT",
    "DATA", "DELETE", "CLEAR", "ALL", "ORDER BY", "GROUP BY", "LIMIT 3", "EXISTS", "NOT", "LATERAL", "VERSION",
    "a", "*", "COUNT(*)", "STR(", "REGEX(", "\\u0053ERVICE",
]
PUNCTUATION = list("{}()[].;,*!<>=^|/?+-") + ["<<", ">>", "<<(", ")>>", "&&", "||", "^^"]
TERMS = [
    "?s", "?p", "?o", "$x", "_:b", "p:x", ":x", "1", "-2.5e3", "true", '"a\\"b"', "'''x\ny'''", '"t"@en',
    "<http://example.org/>", r"<http://example.org/\u0041/>", "<2)SERVICE#>", "<#>", "<a b>", "<>",
    "# comment SERVICE <x>\n", "\\", "\x00", "é", "β-catenin",
]


def _sparqlish(trap_url: str):
    piece = st.sampled_from(KEYWORDS + PUNCTUATION + TERMS + [f"<{trap_url}>"]) | st.text(max_size=6)
    space = st.sampled_from(["", " ", "\n", "\t", " # c\n"])
    return st.lists(st.tuples(piece, space), max_size=40).map(lambda parts: "".join(p + s for p, s in parts))


TRAP = Trap()  # a second trap: hypothesis builds the strategy before fixtures exist


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_sparqlish(TRAP.url))
def test_sparqlish_text_never_breaks_the_server(server: LiveServer, text: str):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.post("/sparql", content=text.encode("utf-8", "surrogatepass"),
                               headers={"Content-Type": "application/sparql-query", "Accept": "*/*"})
    error = assert_clear(response)
    if error and response.status_code == 503:
        assert error["code"] == "query_timeout"  # one client at a time: never busy
    assert health_seconds(server.url) < 1.0
    assert not TRAP.connections
