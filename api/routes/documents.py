"""The source documents: bibliography, reference lists, and the edges each supports."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import DatasetDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import DocumentDetail, DocumentPage

router = APIRouter(tags=["documents"], responses=REST_ERROR_RESPONSES)


@router.get("/documents", operation_id="list_documents", response_model=DocumentPage,
            summary="Every cited document with its bibliographic record and counts")
def list_documents(dataset: DatasetDep) -> JSONAnswer:
    items = dataset.document_summaries()
    return JSONAnswer({"items": items, "total": len(items), "truncated": False})


# A query slot: listing a document's edges reads the support of every edge of the graph.
@router.get("/documents/{document}", operation_id="get_document", response_model=DocumentDetail,
            responses=BUSY_RESPONSES,
            summary="One document: bibliography, numbered references, and the edges it supports")
def get_document(_slot: QuerySlot, dataset: DatasetDep,
                 document: Annotated[str, Path(description="Document id.", examples=["schneider2025"])],
                 edge_limit: Annotated[int, Query(ge=0, le=1000, description="Most edges to list.")] = 100,
                 ) -> JSONAnswer:
    return JSONAnswer(dataset.document(document, edge_limit=edge_limit))
