# metastasis-kg: the REST API, SPARQL endpoint and explorer over the curated graph.
# Stage 1 installs the project into a virtual environment and builds + SHACL-validates the graph
# (a broken curated file fails the image build); stage 2 carries only that environment.
# numba (the `fast` extra) is left out: the curated graph is small, and the search kernels run as
# plain Python with the same answers (kg/query/compiled.py).
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY kg ./kg
COPY api ./api
COPY data ./data
# The graph is built and SHACL-checked with the `build` extra in a throwaway environment.
RUN python -m venv /opt/build \
 && /opt/build/bin/pip install --no-cache-dir '.[build]' \
 && /opt/build/bin/kg --data-dir /src/data build -o /opt/graph/metastasis-kg.nt
# The runtime needs no installer and no test suites of its dependencies: dropped to keep the image small.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir . \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools \
 && find /opt/venv -depth -type d -name tests -path "*/site-packages/*" -exec rm -rf {} +

FROM python:3.11-slim
LABEL org.opencontainers.image.title="metastasis-kg" \
      org.opencontainers.image.description="A curated, cited knowledge graph of cancer metastasis: REST + SPARQL 1.1"
RUN useradd --create-home --uid 10001 kg
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/graph /opt/graph
# MALLOC_ARENA_MAX: threads that build large answers otherwise leave freed memory in arenas of
# their own (the server stayed 1.14x its resting size after bench/fault_load.py; 1.06x with 2)
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 KG_HOST=0.0.0.0 KG_PORT=8000 \
    KG_DATA_FILE=/opt/graph/metastasis-kg.nt MALLOC_ARENA_MAX=2
USER 10001
WORKDIR /home/kg
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
