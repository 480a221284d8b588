from fastapi import APIRouter

from api.deps import IndexDep, SettingsDep, SparqlEngineDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import HealthResponse, StatsOut
from kg.query.edges import stats

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="health", response_model=HealthResponse, summary="Liveness and dataset size")
def health(engine: SparqlEngineDep, settings: SettingsDep) -> HealthResponse:
    return HealthResponse(
        triples=engine.summary.quad_count,
        named_graphs=len(engine.graph_names),
        data_file=settings.data_file.name,
    )


@router.get("/stats", operation_id="get_stats", response_model=StatsOut, responses=REST_ERROR_RESPONSES,
            summary="Counts of nodes per category, edges per predicate, citations per document")
def get_stats(index: IndexDep) -> JSONAnswer:
    return JSONAnswer(stats(index).to_dict())
