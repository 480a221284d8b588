"""Curation: the curated files in data/ -> a checked model -> the RDF graph, SHACL-validated and
written out; the source documents' segmentation and the verification of every citation.

``loader`` reads and checks data/ (``model`` holds its records), ``sources`` cuts documents into
located sentences, ``verify`` re-reads the cited passages, ``rdf`` builds the graph, ``validate``
checks it against ``shapes.ttl``, ``build`` does all of that for ``kg build``.
"""
