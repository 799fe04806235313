"""The registry's part of the REST API (/api/v1): one module per resource; see docs/api.md."""

from ninja import Router

from . import (
    networks,
    organisations,
    projects,
    records,
    search,
    territories,
    working_groups,
)

router = Router()
for module in (networks, projects, organisations, territories, working_groups, records, search):
    router.add_router("", module.router)

__all__ = ["router"]
