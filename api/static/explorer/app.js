/* metastasis-kg explorer: plain JavaScript over the service's REST API, /sparql and Cytoscape.js.
 *
 * All URLs are relative, so the page also works when the service sits under a path prefix.
 * Data from the API is put into the page with textContent only, never as HTML.
 */
"use strict";

(function () {
  // ---------------------------------------------------------------- small DOM helpers
  const $ = (id) => document.getElementById(id);

  /** el("a", {href: "x", class: "y"}, "text", childNode, ...): a new element. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** A link in a new tab to an IRI from the data, if it is http(s) (links.js); text otherwise. */
  const externalLink = (iri, text) => window.mkgLinks.link(iri, text, { rel: "noopener", target: "_blank" });

  function setStatus(target, text, kind) {
    target.textContent = text || "";
    target.className = "status" + (kind ? " " + kind : "");
  }
  const status = (text, kind) => setStatus($("status"), text, kind);

  // ---------------------------------------------------------------- API access
  class ApiError extends Error {}

  /** Query string from {name: value | [values]}, skipping empty values; arrays repeat the name. */
  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null && item !== "") search.append(name, String(item));
      }
    }
    return search.toString();
  }

  /** The service's error message (its {"error": {"message"}} body) or a plain description. */
  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) return body.error.message;
    } catch (_) { /* not JSON */ }
    return `${response.status} ${response.statusText || "error"}`;
  }

  async function fetchOk(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (_) {
      throw new ApiError("The service cannot be reached.");
    }
    if (!response.ok) throw new ApiError(await errorMessage(response));
    return response;
  }

  async function getJson(path, params) {
    const qs = params ? query(params) : "";
    const response = await fetchOk(qs ? `${path}?${qs}` : path, { headers: { Accept: "application/json" } });
    return response.json();
  }

  async function sparql(text) {
    const response = await fetchOk("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json",
      },
      body: new URLSearchParams({ query: text }).toString(),
    });
    return response.json();
  }

  // ---------------------------------------------------------------- colours and labels
  // Biolink categories in use get fixed colours (colour-blind-safer Tableau 10 shades); any
  // other category gets one from the spare palette, stable by name.
  const CATEGORY_COLORS = {
    "biolink:BiologicalProcess": "#4e79a7",
    "biolink:Gene": "#e15759",
    "biolink:GeneFamily": "#ff9da7",
    "biolink:MolecularEntity": "#f28e2b",
    "biolink:Pathway": "#b07aa1",
    "biolink:Cell": "#59a14f",
    "biolink:AnatomicalEntity": "#9c755f",
    "biolink:CellularComponent": "#bab0ac",
    "biolink:Disease": "#edc948",
    "biolink:PhenotypicFeature": "#76b7b2",
    "biolink:Treatment": "#2f4b7c",
    "biolink:Procedure": "#a0cbe8",
  };
  const SPARE_COLORS = ["#8cd17d", "#d37295", "#499894", "#86bcb6", "#f1ce63", "#d4a6c8", "#79706e"];

  function categoryColor(category) {
    if (CATEGORY_COLORS[category]) return CATEGORY_COLORS[category];
    let hash = 0;
    for (const ch of String(category)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    return SPARE_COLORS[hash % SPARE_COLORS.length];
  }
  const categoryName = (category) => String(category || "unknown").replace(/^biolink:/, "").replace(/([a-z])([A-Z])/g, "$1 $2");
  const predicateName = (predicate) => String(predicate).replace(/_/g, " ");
  const SIGNS = { 1: ["+", "pos", "activating (+)"], "-1": ["−", "neg", "inhibiting (−)"], 0: ["?", "unk", "unsigned / unknown (?)"] };
  const signInfo = (sign) => SIGNS[String(sign)] || SIGNS[0];
  const signBadge = (sign) => el("span", { class: "sign " + signInfo(sign)[1], title: signInfo(sign)[2] }, signInfo(sign)[0]);

  // Predicates about structure or order rather than influence get their own line styles.
  const DASHED = new Set(["precedes"]);
  const DOTTED = new Set(["part_of", "component_of", "member_of", "subclass_of", "located_in", "derives_from"]);

  // ---------------------------------------------------------------- the graph
  const cy = cytoscape({
    container: $("cy"),
    wheelSensitivity: 0.3,
    minZoom: 0.15,
    maxZoom: 3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          label: "data(label)",
          width: 26,
          height: 26,
          "border-width": 1,
          "border-color": "#38404d",
          "font-size": 11,
          color: "#1d2430",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "wrap",
          "text-max-width": 130,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      { selector: "node.seed", style: { width: 36, height: 36, "border-width": 3, "font-weight": "bold" } },
      { selector: "node.endpoint", style: { width: 36, height: 36, "border-width": 3, "font-weight": "bold", shape: "round-rectangle" } },
      {
        selector: "edge",
        style: {
          "curve-style": "bezier",
          width: "mapData(support, 0, 6, 1.5, 5)",
          "line-color": "#6b7280",
          "target-arrow-color": "#6b7280",
          "mid-target-arrow-color": "#6b7280",
          "arrow-scale": 1.2,
          label: "data(label)",
          "font-size": 9,
          color: "#3a4250",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
        },
      },
      { selector: "edge.pos", style: { "line-color": "#1a7f37", "target-arrow-color": "#1a7f37", "target-arrow-shape": "triangle" } },
      { selector: "edge.neg", style: { "line-color": "#c62828", "target-arrow-color": "#c62828", "target-arrow-shape": "tee" } },
      // Unsigned: a plain line; a small chevron halfway still tells subject from object.
      { selector: "edge.unk", style: { "target-arrow-shape": "none", "mid-target-arrow-shape": "chevron" } },
      { selector: "edge.dashed", style: { "line-style": "dashed" } },
      { selector: "edge.dotted", style: { "line-style": "dotted" } },
      // Background knowledge (a resource's hierarchy, not a document): thin, blue-grey, dotted.
      { selector: "edge.background", style: { "line-style": "dotted", "line-color": "#7c8db5", "target-arrow-color": "#7c8db5",
                                              "mid-target-arrow-color": "#7c8db5", width: 1.5, "font-style": "italic" } },
      { selector: "node:selected", style: { "border-color": "#f0a000", "border-width": 5 } },
      { selector: "edge:selected", style: { "line-color": "#f0a000", "target-arrow-color": "#f0a000", "mid-target-arrow-color": "#f0a000", width: 6, "z-index": 10 } },
      { selector: ".faded", style: { opacity: 0.15 } },
    ],
  });

  /** The state of the view: what query drew it (for export) and what it shows. */
  const view = {
    kind: null, // "neighborhood" | "paths" | null
    seeds: [], // neighborhood: the seed and every expanded node, in order
    params: {}, // the query parameters other than the seeds
    edges: new Map(), // edge element id -> the API's Edge object
    paths: [],
  };

  const edgeId = (edge) => `${edge.subject.id}|${edge.predicate}|${edge.object.id}`;

  function nodeElement(node, extraClass) {
    return {
      group: "nodes",
      data: { id: node.id, label: node.label || node.id, category: node.category, color: categoryColor(node.category) },
      classes: extraClass || "",
    };
  }

  function edgeElement(edge) {
    const citations = edge.citations || [];
    const classes = [signInfo(edge.sign)[1]];
    if (DASHED.has(edge.predicate)) classes.push("dashed");
    if (DOTTED.has(edge.predicate)) classes.push("dotted");
    if (edge.background) classes.push("background");
    return {
      group: "edges",
      data: {
        id: edgeId(edge),
        source: edge.subject.id,
        target: edge.object.id,
        label: predicateName(edge.predicate),
        predicate: edge.predicate,
        sign: edge.sign,
        support: citations.length,
      },
      classes: classes.join(" "),
    };
  }

  /** Add nodes and edges not yet in the view (new nodes start at `near`); returns the new elements. */
  function merge(nodes, edges, near) {
    const added = [];
    for (const node of nodes) {
      if (cy.getElementById(node.id).nonempty()) continue;
      const element = nodeElement(node);
      if (near) element.position = { x: near.x + (Math.random() - 0.5) * 60, y: near.y + (Math.random() - 0.5) * 60 };
      added.push(element);
    }
    for (const edge of edges) {
      for (const end of [edge.subject, edge.object]) {
        if (cy.getElementById(end.id).empty() && !added.some((e) => e.data.id === end.id)) added.push(nodeElement(end));
      }
      view.edges.set(edgeId(edge), edge);
      if (cy.getElementById(edgeId(edge)).empty()) added.push(edgeElement(edge));
    }
    const collection = cy.add(added);
    updateLegend();
    rememberFilterValues(nodes, edges);
    return collection;
  }

  function clearGraph() {
    cy.elements().remove();
    view.kind = null;
    view.seeds = [];
    view.params = {};
    view.edges.clear();
    view.paths = [];
    $("expand").disabled = true;
    updateLegend();
  }

  function runLayout(options) {
    if (cy.nodes().empty()) return;
    const layout = cy.layout(Object.assign({
      name: "cose",
      animate: false,
      randomize: false,
      nodeRepulsion: () => 9000,
      idealEdgeLength: () => 90,
      nodeDimensionsIncludeLabels: true,
      padding: 30,
      fit: true,
    }, options || {}));
    layout.run();
  }

  /** Paths left to right: a node's column is its hop from the source (the target sits after the
   * longest path) and each path gets its own lane, so no path's edge runs through another's node. */
  function pathLayout() {
    if (!view.paths.length) return;
    const last = Math.max(...view.paths.map((p) => p.nodes.length - 1));
    const lanes = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6];
    const positions = {};
    const taken = new Set();
    const place = (id, col, lane) => { positions[id] = { col, lane }; taken.add(`${col}:${lane}`); };
    const first = view.paths[0].nodes;
    place(first[0].id, 0, 0);
    place(first[first.length - 1].id, last, 0);
    // A direct edge runs along lane 0, so the other paths then start one lane off it.
    let lane = view.paths.some((p) => p.nodes.length === 2) ? 1 : 0;
    for (const path of view.paths) {
      const inner = path.nodes.slice(1, -1).filter((n) => !positions[n.id]);
      if (!inner.length) continue;
      while (lane < lanes.length - 1 && path.nodes.slice(1, -1).some((n, i) => !positions[n.id] && taken.has(`${i + 1}:${lanes[lane]}`))) lane++;
      path.nodes.slice(1, -1).forEach((n, i) => { if (!positions[n.id]) place(n.id, i + 1, lanes[lane]); });
      lane = Math.min(lane + 1, lanes.length - 1);
    }
    // Many lanes: spread the columns too, so that the picture stays roughly as wide as high.
    const laneCount = new Set(Object.values(positions).map((p) => p.lane)).size;
    const spacing = Math.max(220, (laneCount * 100) / Math.max(1, last));
    const at = (p) => (p ? { x: p.col * spacing, y: p.lane * 100 } : { x: 0, y: 0 });
    runLayout({ name: "preset", positions: (node) => at(positions[node.id()]) });
  }

  // ---------------------------------------------------------------- legend
  const SVG_NS = "http://www.w3.org/2000/svg";
  function arrowIcon(color, head, dash) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "11");
    svg.setAttribute("aria-hidden", "true");
    const line = document.createElementNS(SVG_NS, "line");
    Object.entries({ x1: 1, y1: 5.5, x2: head === "none" ? 25 : 19, y2: 5.5, stroke: color, "stroke-width": 2 })
      .forEach(([k, v]) => line.setAttribute(k, v));
    if (dash) line.setAttribute("stroke-dasharray", dash);
    svg.append(line);
    const shape = document.createElementNS(SVG_NS, head === "tee" ? "rect" : "polygon");
    if (head === "triangle") shape.setAttribute("points", "18,1 25,5.5 18,10");
    if (head === "tee") Object.entries({ x: 20, y: 0.5, width: 3, height: 10 }).forEach(([k, v]) => shape.setAttribute(k, v));
    if (head !== "none") { shape.setAttribute("fill", color); svg.append(shape); }
    return el("span", { class: "arrow" }, svg);
  }

  function updateLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    const categories = [...new Set(cy.nodes().map((n) => n.data("category")))].sort();
    for (const category of categories) {
      const dot = el("span", { class: "dot", "aria-hidden": "true" });
      dot.style.background = categoryColor(category); // set through the CSSOM, which the CSP allows
      legend.append(el("span", {}, dot, categoryName(category)));
    }
    legend.append(
      el("span", {}, arrowIcon("#1a7f37", "triangle"), "activates (+)"),
      el("span", {}, arrowIcon("#c62828", "tee"), "inhibits (−)"),
      el("span", {}, arrowIcon("#6b7280", "none"), "unsigned"),
      el("span", {}, arrowIcon("#6b7280", "none", "5 3"), "precedes"),
      el("span", {}, arrowIcon("#6b7280", "none", "2 2"), "part of, located in, …"),
      el("span", {}, arrowIcon("#7c8db5", "none", "1 2"), "background knowledge (not from the documents)"),
    );
    if (!categories.length) legend.prepend(el("span", {}, "Node colours: category."));
  }

  // ---------------------------------------------------------------- filters
  const filterValues = { predicate: new Set(), category: new Set() };

  function renderFilters() {
    for (const [kind, box] of [["predicate", $("predicate-filters")], ["category", $("category-filters")]]) {
      const checked = new Set(selectedFilters(kind));
      box.replaceChildren(...[...filterValues[kind]].sort().map((value) => el("label", {},
        el("input", { type: "checkbox", value, checked: checked.has(value), "data-kind": kind }),
        kind === "predicate" ? predicateName(value) : categoryName(value))));
    }
    updateFilterCount();
  }

  function rememberFilterValues(nodes, edges) {
    let changed = false;
    const note = (kind, value) => {
      if (value && !filterValues[kind].has(value)) { filterValues[kind].add(value); changed = true; }
    };
    nodes.forEach((n) => note("category", n.category));
    edges.forEach((e) => note("predicate", e.predicate));
    if (changed) renderFilters();
  }

  const selectedFilters = (kind) => [...document.querySelectorAll(`input[data-kind="${kind}"]:checked`)].map((i) => i.value);

  function updateFilterCount() {
    const count = selectedFilters("predicate").length + selectedFilters("category").length;
    $("filter-count").textContent = count ? `(${count} ticked)` : "";
  }

  /** The vocabularies, from the graph itself; the lists also grow with what queries return. */
  async function loadFilterValues() {
    const prefixes = "PREFIX owl: <http://www.w3.org/2002/07/owl#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n";
    try {
      const [predicates, categories] = await Promise.all([
        sparql(prefixes + `SELECT DISTINCT ?p WHERE { ?p a owl:ObjectProperty .
          FILTER(STRSTARTS(STR(?p), "https://w3id.org/metastasis-kg/")) FILTER EXISTS { ?s ?p ?o } }`),
        sparql(prefixes + `SELECT DISTINCT ?c WHERE { ?n a ?c ; rdfs:label ?label .
          FILTER(STRSTARTS(STR(?n), "https://w3id.org/metastasis-kg/"))
          FILTER(STRSTARTS(STR(?c), "https://w3id.org/biolink/vocab/")) }`),
      ]);
      predicates.results.bindings.forEach((b) => filterValues.predicate.add(b.p.value.replace(/^.*\//, "")));
      categories.results.bindings.forEach((b) => filterValues.category.add("biolink:" + b.c.value.replace(/^.*\//, "")));
      renderFilters();
    } catch (_) {
      // Not fatal: the lists then fill from the query results.
    }
  }

  // ---------------------------------------------------------------- autocomplete (ARIA combobox)
  /**
   * Autocomplete on `input` with the lookup API. Arrow keys move through the list, Enter picks the
   * highlighted node (or, with none highlighted, calls onEnter), Escape closes. The picked node's
   * id is kept in input.dataset.id until the text is edited.
   */
  function combobox(input, onPick, onEnter) {
    const list = $(input.getAttribute("aria-controls"));
    let items = [];
    let active = -1;
    let timer = null;
    let serial = 0; // ignore answers to older keystrokes

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) { active = -1; input.removeAttribute("aria-activedescendant"); }
    }

    function highlight(index) {
      active = index;
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      const li = list.children[index];
      if (li && li.id) { input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({ block: "nearest" }); }
      else input.removeAttribute("aria-activedescendant");
    }

    function pick(item) {
      input.value = item.label;
      input.dataset.id = item.id;
      open(false);
      onPick(item);
    }

    function render(hits, total) {
      items = hits;
      list.replaceChildren();
      if (!hits.length) {
        list.append(el("li", { class: "empty", role: "option", "aria-disabled": "true", "aria-selected": "false" }, "No matching node"));
      }
      hits.forEach((hit, i) => {
        const alt = hit.matched && hit.matched !== hit.label ? el("span", { class: "alt" }, `(${hit.matched})`) : null;
        const dot = el("span", { class: "dot", "aria-hidden": "true" });
        dot.style.background = categoryColor(hit.category);
        list.append(el("li", {
          id: `${list.id}-${i}`, role: "option", "aria-selected": "false",
          onmousedown: (event) => { event.preventDefault(); pick(hit); }, // before the input's blur
        }, dot, el("span", {}, hit.label), alt, el("span", { class: "cat" }, categoryName(hit.category))));
      });
      if (total > hits.length) list.append(el("li", { class: "empty", "aria-hidden": "true" }, `… ${total - hits.length} more: type more letters`));
      open(true);
      highlight(-1);
    }

    async function lookup() {
      const text = input.value.trim();
      const mine = ++serial;
      if (!text) { open(false); return; }
      try {
        const page = await getJson("nodes", { q: text, limit: 10 });
        if (mine === serial && document.activeElement === input) render(page.items || [], page.total || 0);
      } catch (error) {
        if (mine === serial) { list.replaceChildren(el("li", { class: "empty" }, error.message)); open(true); }
      }
    }

    input.addEventListener("input", () => {
      delete input.dataset.id;
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", (event) => {
      const count = items.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { lookup(); return; }
        if (count) highlight((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden && count) highlight(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        event.preventDefault(); // the form's submit is ours to call
        if (!list.hidden && active >= 0 && items[active]) pick(items[active]);
        else { open(false); onEnter(); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); open(false); }
      }
    });
    input.addEventListener("blur", () => setTimeout(() => open(false), 100));
    return {
      set(node) { input.value = node.label || node.id; input.dataset.id = node.id; },
    };
  }

  /** The node an input denotes: the picked id, else its text (the API resolves labels too). */
  const nodeOf = (input) => input.dataset.id || input.value.trim();

  // ---------------------------------------------------------------- neighborhood
  function neighborhoodParams() {
    return {
      depth: $("explore-depth").value,
      direction: $("explore-direction").value,
      limit: Math.min(500, Math.max(1, Number($("explore-limit").value) || 60)),
      predicate: selectedFilters("predicate"),
      category: selectedFilters("category"),
    };
  }

  async function showNeighborhood(node) {
    if (!node) { status("Type a node name, then pick it from the list.", "error"); $("explore-node").focus(); return; }
    const params = neighborhoodParams();
    status("Loading the neighborhood…", "busy");
    try {
      const result = await getJson("neighborhood", Object.assign({ node }, params));
      clearGraph();
      const seed = result.nodes.find((n) => n.hop === 0) || result.nodes[0] || null; // seeds come first
      view.kind = "neighborhood";
      view.seeds = [seed ? seed.id : node];
      view.params = params;
      merge(result.nodes, result.edges);
      if (seed) cy.getElementById(seed.id).addClass("seed");
      runLayout({ randomize: true });
      status(summary(result));
      if (seed) selectNode(seed.id);
    } catch (error) {
      status(error.message, "error");
    }
  }

  async function expand(nodeId) {
    if (view.kind !== "neighborhood") {
      // A path view becomes a neighborhood view: keep what is shown, export the seeds from now on.
      view.kind = "neighborhood";
      view.seeds = [];
      view.params = neighborhoodParams();
    }
    const params = Object.assign({}, view.params, { depth: 1 }); // one hop per expansion keeps it readable
    const label = cy.getElementById(nodeId).data("label") || nodeId;
    status(`Expanding ${label}…`, "busy");
    try {
      const result = await getJson("neighborhood", Object.assign({ node: nodeId }, params));
      const before = cy.elements().length;
      const added = merge(result.nodes, result.edges, cy.getElementById(nodeId).position());
      if (!view.seeds.includes(nodeId)) view.seeds.push(nodeId);
      cy.getElementById(nodeId).addClass("seed");
      if (added.nonempty()) runLayout();
      const newCount = cy.elements().length - before;
      status(newCount ? `Expanded ${label}: ${added.nodes().length} new nodes, ${added.edges().length} new edges. ${summary(null)}`
        : `${label} has no further neighbors with these filters.`);
    } catch (error) {
      status(error.message, "error");
    }
  }

  function summary(result) {
    const text = `${cy.nodes().length} nodes, ${cy.edges().length} edges shown.`;
    return result && result.truncated ? `${text} More lie within reach: raise Max nodes, or add filters.` : text;
  }

  // ---------------------------------------------------------------- paths
  function pathText(path) {
    const parts = [];
    path.nodes.forEach((node, i) => {
      parts.push(node.label);
      const edge = path.edges[i];
      if (edge) {
        const forward = edge.subject.id === node.id;
        parts.push(forward ? ` —${predicateName(edge.predicate)}→ ` : ` ←${predicateName(edge.predicate)}— `);
      }
    });
    return parts.join("");
  }

  async function findPaths() {
    const source = nodeOf($("path-source"));
    const target = nodeOf($("path-target"));
    const box = $("path-results");
    if (!source || !target) { status("Pick both ends of the path.", "error"); (source ? $("path-target") : $("path-source")).focus(); return; }
    const params = {
      mode: $("path-mode").value,
      k: $("path-k").value,
      max_length: $("path-max-length").value,
      directed: $("path-directed").checked ? "true" : "false",
    };
    status("Searching paths…", "busy");
    box.replaceChildren();
    try {
      const result = await getJson("paths", Object.assign({ source, target }, params));
      clearGraph();
      view.kind = "paths";
      view.params = Object.assign({ source, target }, params);
      view.paths = result.paths || [];
      if (!view.paths.length) {
        status("No path found with these settings." + (result.timed_out ? " The search ran out of time." : ""));
        box.append(el("p", { class: "muted" }, "No path. Try undirected search, another mode or a longer maximum length."));
        return;
      }
      for (const path of view.paths) merge(path.nodes, path.edges);
      const first = view.paths[0];
      const start = first.nodes[0].id;
      const end = first.nodes[first.nodes.length - 1].id;
      cy.getElementById(start).addClass("endpoint");
      cy.getElementById(end).addClass("endpoint");
      pathLayout();
      renderPathList(result);
      if (params.directed === "true") renderExplanation(source, target);
      const notes = [result.truncated ? "more paths exist" : "", result.timed_out ? "the search ran out of time" : ""].filter(Boolean);
      status(`${view.paths.length} path${view.paths.length === 1 ? "" : "s"} found${notes.length ? " (" + notes.join("; ") + ")" : ""}. ${summary(null)}`);
    } catch (error) {
      status(error.message, "error");
      box.append(el("p", { class: "status error" }, error.message));
    }
  }

  function renderPathList(result) {
    const box = $("path-results");
    const items = view.paths.map((path, i) => el("li", {},
      el("button", {
        type: "button", "aria-pressed": "false", "data-path": i,
        "aria-label": `Path ${i + 1}, sign ${signInfo(path.sign)[2]}, length ${path.length}: ${pathText(path)}`,
        onclick: (event) => highlightPath(i, event.currentTarget),
      }, signBadge(path.sign), " ", pathText(path),
      el("span", { class: "muted small" }, ` · ${path.length} hop${path.length === 1 ? "" : "s"}, ${path.support} citation${path.support === 1 ? "" : "s"}`))));
    box.replaceChildren(
      el("h3", {}, `Paths (${view.paths.length}${result.truncated ? "+" : ""})`),
      el("p", { class: "muted small" }, "Sign of a path: the product of its edge signs (? when an edge is unsigned). Select a path to highlight it."),
      el("ol", {}, items));
  }

  /** The best path in words (GET /explain), below the list, with a button that copies it as Markdown.
      Built with el(): every text from the service lands in the page as text, never as markup. */
  async function renderExplanation(source, target) {
    let answer;
    try {
      answer = await getJson("explain", { source, target, k: 1 });
    } catch (error) {
      return; // the paths stay shown; the explanation only adds to them
    }
    if (!answer.sections.length) return;
    const path = answer.sections[0];
    const copied = el("span", { class: "muted small", role: "status" });
    const copy = async () => {
      try {
        await navigator.clipboard.writeText(answer.text);
        copied.textContent = " Copied.";
      } catch (error) {
        copied.textContent = " The browser refused the clipboard.";
      }
    };
    $("path-results").append(el("section", { class: "explanation", "aria-label": "The best path in words" },
      el("h3", {}, "In words"),
      el("ol", {}, ...path.steps.map((step) => el("li", {}, step.text))),
      el("p", {}, path.summary),
      el("h4", {}, "References"),
      el("ol", { class: "small" }, ...answer.references.map((reference) => el("li", {}, reference.text))),
      el("p", {}, el("button", { type: "button", onclick: copy }, "Copy as Markdown"), copied)));
  }

  function highlightPath(index, button) {
    const pressed = button.getAttribute("aria-pressed") === "true";
    document.querySelectorAll("#path-results button[aria-pressed]").forEach((b) => b.setAttribute("aria-pressed", "false"));
    cy.elements().removeClass("faded");
    if (pressed) return; // a second press shows all paths again
    button.setAttribute("aria-pressed", "true");
    const path = view.paths[index];
    let keep = cy.collection();
    path.nodes.forEach((n) => { keep = keep.union(cy.getElementById(n.id)); });
    path.edges.forEach((e) => { keep = keep.union(cy.getElementById(edgeId(e))); });
    cy.elements().difference(keep).addClass("faded");
    showPathDetails(path, index);
  }

  // ---------------------------------------------------------------- details panel
  const documentCache = new Map(); // id -> record (list fields; references once fetched)
  let documentsLoaded = null;

  function loadDocuments() {
    if (!documentsLoaded) {
      documentsLoaded = getJson("documents", { limit: 100 })
        .then((page) => (page.items || []).forEach((doc) => documentCache.set(doc.id, doc)))
        .catch(() => { documentsLoaded = null; });
    }
    return documentsLoaded;
  }

  async function documentWithReferences(id) {
    const known = documentCache.get(id);
    if (known && known.references) return known;
    try {
      const record = await getJson(`documents/${encodeURIComponent(id)}`);
      documentCache.set(id, record);
      return record;
    } catch (_) {
      return known || null;
    }
  }

  const documentLink = (id, doc) => (doc && doc.doi
    ? externalLink(`https://doi.org/${encodeURI(doc.doi)}`, `doi:${doc.doi}`)
    : el("a", { href: `documents/${encodeURIComponent(id)}`, target: "_blank" }, "bibliographic record"));

  function detailsPanel(...children) {
    const panel = $("details");
    panel.replaceChildren(...children);
    panel.scrollTop = 0;
  }

  /** A node named in the details panel: a button that selects it (the keyboard's way around the graph). */
  function nodeLine(node) {
    const dot = el("span", { class: "dot", "aria-hidden": "true" });
    dot.style.background = categoryColor(node.category);
    return el("span", {}, dot, " ", el("button", {
      type: "button", class: "linkish", title: `Select ${node.label}`, onclick: () => selectNode(node.id),
    }, node.label));
  }

  async function showEdgeDetails(id) {
    const edge = view.edges.get(id);
    if (!edge) return;
    const citations = edge.citations || [];
    const list = el("ol", { class: "citations" });
    detailsPanel(
      el("h2", {}, "Edge"),
      el("p", { class: "triple" }, nodeLine(edge.subject),
        el("span", { class: "pred" }, "↓ ", predicateName(edge.predicate), " ", signBadge(edge.sign)), nodeLine(edge.object)),
      edge.background ? backgroundNote(edge.provenance || {}) : null,
      (edge.conflicts || []).length ? el("p", { class: "conflict" }, "The documents disagree on this pair: ",
        edge.conflicts.map((kind) => kind === "opposite_signs" ? "opposite directions" : "different certainty").join(", "),
        " (see Conflicts).") : null,
      (edge.through || []).length ? el("p", { class: "muted small" }, "Pooled with what the documents say of ",
        [...new Set(edge.through.map((t) => `${t.subject.label} → ${t.object.label} (${t.as})`))].join("; "), ".") : null,
      edge.background ? null : el("h3", {}, `Citations (${citations.length})`),
      edge.background ? null : (citations.length ? list : el("p", { class: "muted" }, "No citation recorded for this edge.")));
    await loadDocuments();
    for (const citation of citations) {
      let doc = documentCache.get(citation.document);
      const reference = citation.reference || null;
      let entry = reference && reference.entry;
      if (reference && reference.number != null && !entry) {
        // The reference's text lives in the document record; fetch it once per document.
        doc = (await documentWithReferences(citation.document)) || doc;
        const found = ((doc && doc.references) || []).find((r) => r.number === reference.number);
        entry = found && found.entry;
      }
      list.append(el("li", { class: "citation" },
        el("div", {}, el("span", { class: "doc" }, citation.document), doc && doc.title ? ` · ${doc.title}` : "",
          doc && doc.year ? ` (${doc.year})` : ""),
        el("blockquote", {}, citation.statement || ""),
        el("div", { class: "meta" },
          el("span", {}, "at ", el("code", {}, citation.locator || "?")),
          reference && reference.number != null ? el("span", {}, `reference [${reference.number}]`) : null,
          citation.certainty ? el("span", { class: "certainty " + citation.certainty }, citation.certainty) : null,
          documentLink(citation.document, doc)),
        entry ? el("div", { class: "meta" }, `[${reference.number}] ${entry}`) : null));
    }
  }

  /** What a background-knowledge edge rests on: the resource and the record checked there. */
  function backgroundNote(provenance) {
    return el("div", { class: "background-note" },
      el("p", {}, el("strong", {}, "Background knowledge"), ", not stated by the documents: taken from ",
        el("code", {}, provenance.primary_knowledge_source || "?"), ", record ", el("code", {}, provenance.source_record || "?"), "."),
      provenance.note ? el("blockquote", {}, provenance.note) : null);
  }

  async function showNodeDetails(id) {
    const element = cy.getElementById(id);
    const connected = element.connectedEdges();
    const edgeButtons = connected.map((e) => {
      const edge = view.edges.get(e.id());
      return el("li", {}, el("button", {
        type: "button", class: "linkish",
        onclick: () => { cy.elements().unselect(); e.select(); showEdgeDetails(e.id()); },
      }, signBadge(edge.sign), ` ${edge.subject.label} ${predicateName(edge.predicate)} ${edge.object.label}`));
    });
    const info = el("dl", {});
    detailsPanel(
      el("h2", {}, element.data("label") || id),
      info,
      el("div", { class: "actions" },
        el("button", { type: "button", onclick: () => expand(id) }, "Expand"),
        el("button", { type: "button", onclick: () => { combos.explore.set(element.data()); selectTab("explore"); showNeighborhood(id); } }, "Center here"),
        el("button", { type: "button", onclick: () => { combos.source.set(element.data()); selectTab("paths"); $("path-target").focus(); } }, "Path from here"),
        el("button", { type: "button", onclick: () => { combos.target.set(element.data()); selectTab("paths"); $("path-source").focus(); } }, "Path to here")),
      el("h3", {}, `Edges shown (${edgeButtons.length})`),
      edgeButtons.length ? el("ul", { class: "edge-list" }, edgeButtons) : el("p", { class: "muted" }, "None."));
    const row = (term, value) => { if (value !== null && value !== undefined && value !== "") info.append(el("dt", {}, term), el("dd", {}, value)); };
    row("Id", el("code", {}, id));
    row("Category", categoryName(element.data("category")));
    try {
      const node = await getJson(`nodes/${encodeURIComponent(id)}`);
      row("Definition", node.definition);
      row("Synonyms", (node.synonyms || []).join("; "));
      row("Cross-refs", (node.xrefs || []).join(", "));
      if (node.degree) row("Degree", `${node.degree.in} in, ${node.degree.out} out (whole graph)`);
      if (node.iri) row("IRI", externalLink(node.iri));
    } catch (error) {
      row("Note", error.message);
    }
  }

  function showPathDetails(path, index) {
    detailsPanel(
      el("h2", {}, `Path ${index + 1} `, signBadge(path.sign)),
      el("p", {}, pathText(path)),
      el("p", { class: "muted small" }, `${path.length} hop(s), ${path.support} citation(s) in all. Pick an edge for its citations.`),
      el("ol", {}, path.edges.map((edge) => el("li", {}, el("button", {
        type: "button", class: "linkish",
        onclick: () => { cy.elements().unselect(); cy.getElementById(edgeId(edge)).select(); showEdgeDetails(edgeId(edge)); },
      }, signBadge(edge.sign), ` ${edge.subject.label} ${predicateName(edge.predicate)} ${edge.object.label}`)))));
  }

  function selectNode(id) {
    cy.elements().unselect();
    cy.getElementById(id).select();
    $("expand").disabled = false;
    showNodeDetails(id);
  }

  cy.on("tap", "node", (event) => selectNode(event.target.id()));
  cy.on("dbltap", "node", (event) => expand(event.target.id()));
  cy.on("tap", "edge", (event) => { $("expand").disabled = true; showEdgeDetails(event.target.id()); });
  cy.on("tap", (event) => { if (event.target === cy) { cy.elements().removeClass("faded"); $("expand").disabled = true; } });

  // ---------------------------------------------------------------- downloads
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportParams() {
    if (view.kind === "neighborhood") return Object.assign({ node: view.seeds }, view.params);
    return Object.assign({}, view.params);
  }

  async function download() {
    const format = $("download-format").value;
    if (cy.elements().empty()) { status("Nothing to download yet: show a neighborhood or a path first.", "error"); return; }
    const base = view.kind === "paths" ? "metastasis-kg-paths" : "metastasis-kg-neighborhood";
    try {
      if (format === "png") {
        saveBlob(cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }), `${base}.png`);
      } else if (format === "cyjs") {
        // Exactly what is on screen, positions included.
        saveBlob(new Blob([JSON.stringify(cy.json(), null, 1)], { type: "application/json" }), `${base}.cyjs.json`);
      } else {
        status(`Preparing the ${format} file…`, "busy");
        const response = await fetchOk(`export?${query(Object.assign({ format }, exportParams()))}`);
        saveBlob(await response.blob(), `${base}.${format === "turtle" ? "ttl" : format}`);
      }
      status(`Downloaded ${format === "cyjs" ? "Cytoscape JSON" : format.toUpperCase()}.`);
    } catch (error) {
      status(error.message, "error");
    }
  }

  // ---------------------------------------------------------------- SPARQL tab
  const SPARQL_PREFIXES = `PREFIX mkg: <https://w3id.org/metastasis-kg/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;
  const SPARQL_EXAMPLES = [
    ["The metastatic cascade, step by step (mkg:precedes)", `# Each step of the cascade, ordered by how many steps come before it.
SELECT ?step ?label (COUNT(DISTINCT ?earlier) AS ?stepsBefore) WHERE {
  { ?step mkg:precedes ?other } UNION { ?other mkg:precedes ?step }
  ?step rdfs:label ?label .
  OPTIONAL { ?earlier mkg:precedes+ ?step }
}
GROUP BY ?step ?label
ORDER BY ?stepsBefore ?label`],
    ["What EMT promotes, with its citation count", `SELECT ?target ?label (COUNT(DISTINCT ?citation) AS ?citations) WHERE {
  mkg:emt mkg:promotes ?target .
  ?target rdfs:label ?label .
  OPTIONAL {
    ?association rdf:subject mkg:emt ; rdf:predicate mkg:promotes ; rdf:object ?target ;
                 mkg:citation ?citation .
  }
}
GROUP BY ?target ?label
ORDER BY DESC(?citations) ?label`],
    ["What anti-angiogenic therapy inhibits or targets, and what those promote", `SELECT ?predicate ?target ?targetLabel ?downstreamLabel WHERE {
  VALUES ?predicate { mkg:inhibits mkg:targets }
  mkg:anti_angiogenic_therapy ?predicate ?target .
  ?target rdfs:label ?targetLabel .
  OPTIONAL { ?target mkg:promotes ?downstream . ?downstream rdfs:label ?downstreamLabel }
}
ORDER BY ?targetLabel ?downstreamLabel`],
  ];

  function showExample(index) {
    $("sparql-query").value = SPARQL_PREFIXES + "\n" + SPARQL_EXAMPLES[index][1];
  }

  function termCell(term) {
    const td = el("td", {});
    if (!term) return td;
    if (term.type === "uri") {
      // mkg: nodes open in the explorer; other http(s) IRIs are links to elsewhere, any other IRI is text.
      const curie = term.value.startsWith("https://w3id.org/metastasis-kg/") ? "mkg:" + term.value.slice(31) : null;
      td.append(curie
        ? el("a", { href: "#", title: "Show its neighborhood", onclick: (e) => { e.preventDefault(); openInExplorer(curie); } }, curie)
        : externalLink(term.value));
    } else if (term.type === "bnode") {
      td.append(`_:${term.value}`);
    } else {
      td.append(term.value);
      const meta = term["xml:lang"] ? `@${term["xml:lang"]}` : "";
      if (meta) td.append(el("span", { class: "lit-meta" }, ` ${meta}`));
    }
    return td;
  }

  async function runSparql() {
    const out = $("sparql-results");
    const line = $("sparql-status");
    setStatus(line, "Running…", "busy");
    out.replaceChildren();
    const started = performance.now();
    try {
      const result = await sparql($("sparql-query").value);
      const ms = Math.round(performance.now() - started);
      if (typeof result.boolean === "boolean") {
        out.append(el("p", {}, `ASK: ${result.boolean}`));
        setStatus(line, `Answered in ${ms} ms.`);
        return;
      }
      const vars = result.head.vars || [];
      const rows = result.results.bindings || [];
      out.append(el("table", {},
        el("thead", {}, el("tr", {}, vars.map((v) => el("th", { scope: "col" }, v)))),
        el("tbody", {}, rows.map((row) => el("tr", {}, vars.map((v) => termCell(row[v])))))));
      setStatus(line, `${rows.length} row${rows.length === 1 ? "" : "s"} in ${ms} ms.`);
    } catch (error) {
      setStatus(line, error.message, "error");
    }
  }

  function openInExplorer(id) {
    combos.explore.set({ id, label: id });
    selectTab("explore");
    showNeighborhood(id);
  }

  // ---------------------------------------------------------------- tabs
  const TABS = ["explore", "paths", "sparql"];

  function selectTab(name, focus) {
    for (const tab of TABS) {
      const button = $(`tab-${tab}`);
      button.setAttribute("aria-selected", tab === name ? "true" : "false");
      button.tabIndex = tab === name ? 0 : -1;
    }
    if (focus) $(`tab-${name}`).focus();
    $("view-graph").hidden = name === "sparql";
    $("view-sparql").hidden = name !== "sparql";
    $("view-graph").setAttribute("aria-labelledby", `tab-${name === "paths" ? "paths" : "explore"}`);
    $("explore-form").hidden = name !== "explore";
    $("paths-form").hidden = name !== "paths";
    if (name !== "sparql") cy.resize(); // the container may have been hidden
    if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  }

  TABS.forEach((name, i) => {
    const button = $(`tab-${name}`);
    button.addEventListener("click", () => selectTab(name));
    button.addEventListener("keydown", (event) => {
      // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) { event.preventDefault(); selectTab(TABS[(i + step + TABS.length) % TABS.length], true); }
    });
  });

  // ---------------------------------------------------------------- wiring
  const combos = {
    explore: combobox($("explore-node"), (node) => showNeighborhood(node.id), () => showNeighborhood(nodeOf($("explore-node")))),
    source: combobox($("path-source"), () => $("path-target").focus(), () => findPaths()),
    target: combobox($("path-target"), () => findPaths(), () => findPaths()),
  };

  $("explore-form").addEventListener("submit", (event) => { event.preventDefault(); showNeighborhood(nodeOf($("explore-node"))); });
  $("paths-form").addEventListener("submit", (event) => { event.preventDefault(); findPaths(); });
  $("explore-form").addEventListener("change", (event) => { if (event.target.dataset.kind) updateFilterCount(); });
  $("path-mode").addEventListener("change", () => {
    $("path-k").disabled = $("path-mode").value !== "k_shortest";
    $("path-max-length").disabled = $("path-mode").value !== "simple";
  });
  $("path-mode").dispatchEvent(new Event("change"));

  $("fit").addEventListener("click", () => cy.fit(undefined, 30));
  $("relayout").addEventListener("click", () => {
    if (view.kind === "paths" && view.paths.length) pathLayout();
    else runLayout({ randomize: true });
  });
  $("expand").addEventListener("click", () => { const node = cy.nodes(":selected").first(); if (node.nonempty()) expand(node.id()); });
  $("clear").addEventListener("click", () => { clearGraph(); $("path-results").replaceChildren(); status("Cleared."); });
  $("download").addEventListener("click", download);

  const examples = $("sparql-example");
  SPARQL_EXAMPLES.forEach(([title], i) => examples.add(new Option(title, String(i))));
  examples.addEventListener("change", () => showExample(Number(examples.value)));
  showExample(0);
  $("sparql-form").addEventListener("submit", (event) => { event.preventDefault(); runSparql(); });
  $("sparql-query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); runSparql(); }
  });

  updateLegend();
  loadFilterValues();
  selectTab(TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "explore");
  window.explorer = { cy, view }; // for the end-to-end test and the curious
})();
