/* Links made from data, shared by the explorer and the SPARQL query page.
 *
 * An IRI in the graph is data, not a trusted URL: a served file may hold <javascript:...>.
 * Only http(s) IRIs become links; anything else is shown as text.
 */
"use strict";

window.mkgLinks = Object.freeze({
  /** The normalised URL of an absolute http(s) IRI, or null for any other scheme or a relative IRI. */
  httpUrl(iri) {
    let url;
    try {
      url = new URL(String(iri));
    } catch (_) {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  },

  /** A link to `iri` showing `text` (default: the IRI) if it is http(s), else a text node. */
  link(iri, text, attrs) {
    const shown = text === undefined ? String(iri) : text;
    const href = this.httpUrl(iri);
    if (!href) return document.createTextNode(shown);
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = shown;
    for (const [name, value] of Object.entries(attrs || {})) anchor.setAttribute(name, value);
    return anchor;
  },
});
