"""The REST API at /api/v1: each app contributes a router."""

from ninja import NinjaAPI

from reti.communities.api import router as communities_router
from reti.events.api import router as events_router
from reti.grids.api import router as grids_router
from reti.knowledge.api import router as knowledge_router
from reti.lib.api.errors import register_error_handlers
from reti.monitoring.analytics.api import router as analytics_router
from reti.monitoring.api import router as monitoring_router
from reti.registry.api import router as registry_router

api = NinjaAPI(
    title="Reti API",
    version="1.0.0",
    description="Networks, projects, organisations and territories of Italian Regions' "
    "cooperation on the social economy. Reads are public; writes need a token "
    "(Authorization: Bearer <token>).",
    urls_namespace="api",
)
register_error_handlers(api)
api.add_router("", registry_router)
api.add_router("", knowledge_router)
api.add_router("", events_router)
api.add_router("", communities_router)
api.add_router("", monitoring_router)
api.add_router("", analytics_router)
api.add_router("", grids_router)
