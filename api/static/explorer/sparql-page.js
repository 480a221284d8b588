/* The SPARQL query page (/sparql in a browser): examples, a query box, results as a table.
 *
 * Results go into the page as text; only http(s) IRIs become links (links.js).
 */
"use strict";

(function () {
  const PREFIXES = `PREFIX mkg: <https://w3id.org/metastasis-kg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
`;
  const EXAMPLES = [
    ["Steps that precede other steps", `SELECT ?before ?beforeLabel ?after ?afterLabel WHERE {
  ?before mkg:precedes ?after .
  OPTIONAL { ?before rdfs:label ?beforeLabel }
  OPTIONAL { ?after rdfs:label ?afterLabel }
}
ORDER BY ?beforeLabel
LIMIT 100`],
    ["Everything downstream of EMT (property path)", `SELECT DISTINCT ?step ?label WHERE {
  ?emt skos:altLabel "EMT" .
  ?emt mkg:precedes+ ?step .
  OPTIONAL { ?step rdfs:label ?label }
}`],
    ["What promotes what", `SELECT ?agentLabel ?targetLabel WHERE {
  ?agent mkg:promotes ?target .
  ?agent rdfs:label ?agentLabel .
  ?target rdfs:label ?targetLabel .
}
ORDER BY ?agentLabel
LIMIT 200`],
    ["Find a node by name or synonym", `SELECT ?node ?label ?synonym WHERE {
  ?node rdfs:label ?label .
  OPTIONAL { ?node skos:altLabel ?synonym }
  FILTER (CONTAINS(LCASE(?label), "tgf") || CONTAINS(LCASE(STR(?synonym)), "tgf"))
}`],
    ["Predicates in use, by frequency", `SELECT ?predicate (COUNT(*) AS ?uses) WHERE {
  ?s ?predicate ?o .
}
GROUP BY ?predicate
ORDER BY DESC(?uses)`],
  ];

  const select = document.getElementById("examples");
  const editor = document.getElementById("query");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");

  EXAMPLES.forEach(([title], index) => select.add(new Option(title, String(index))));
  function showExample(index) { editor.value = PREFIXES + "\n" + EXAMPLES[index][1]; }
  select.addEventListener("change", () => showExample(Number(select.value)));
  showExample(0);

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? "error" : "";
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(window.mkgLinks.link(term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + ["subject", "predicate", "object"].map((k) => term.value[k].value).join(" ") + " >>";
    } else {
      td.appendChild(document.createTextNode(term.value));
      const extra = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? " ^^" + term.datatype.replace(/^.*[#/]/, "") : "";
      if (extra) {
        const span = document.createElement("span");
        span.className = term["xml:lang"] ? "lang" : "dt";
        span.textContent = " " + extra;
        td.appendChild(span);
      }
    }
    return td;
  }

  function renderTable(data) {
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    data.head.vars.forEach((name) => {
      const th = document.createElement("th");
      th.textContent = "?" + name;
      head.appendChild(th);
    });
    const body = table.createTBody();
    data.results.bindings.forEach((row) => {
      const tr = body.insertRow();
      data.head.vars.forEach((name) => tr.appendChild(cell(row[name])));
    });
    results.replaceChildren(table);
  }

  function renderText(text) {
    const pre = document.createElement("pre");
    pre.textContent = text;
    results.replaceChildren(pre);
  }

  async function run() {
    setStatus("Running…", false);
    const started = performance.now();
    try {
      const response = await fetch(window.location.pathname, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: editor.value }),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        const problem = type.includes("json") ? (await response.json()).error : { message: await response.text() };
        setStatus(`Error ${response.status}: ${problem.message}`, true);
        renderText(problem.detail ? JSON.stringify(problem.detail, null, 2) : "");
        return;
      }
      const cut = response.headers.get("X-SPARQL-Truncated") === "true" ? " (cut at the row cap)" : "";
      if (type.includes("sparql-results+json")) {
        const data = await response.json();
        if ("boolean" in data) {
          renderText(String(data.boolean));
          setStatus(`ASK answered in ${seconds} s`, false);
        } else {
          renderTable(data);
          setStatus(`${data.results.bindings.length} rows in ${seconds} s${cut}`, false);
        }
      } else {
        renderText(await response.text());
        setStatus(`Graph in ${seconds} s${cut}`, false);
      }
    } catch (error) {
      setStatus("Request failed: " + error, true);
    }
  }

  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
})();
