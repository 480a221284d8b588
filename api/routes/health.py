from fastapi import APIRouter

from api.deps import SettingsDep, SparqlEngineDep
from api.models import HealthResponse

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="health", response_model=HealthResponse, summary="Liveness and dataset size")
def health(engine: SparqlEngineDep, settings: SettingsDep) -> HealthResponse:
    return HealthResponse(
        triples=engine.summary.quad_count,
        named_graphs=len(engine.graph_names),
        data_file=settings.data_file.name,
    )
