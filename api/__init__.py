"""HTTP API of metastasis-kg: the SPARQL 1.1 Protocol endpoint and the REST routes."""
