"""The registry's part of the REST API (/api/v1): one module per resource; see docs/api.md."""

from ninja import Router

from reti.lib.api.errors import answer_constraints_on

from . import (
    networks,
    organisations,
    projects,
    records,
    search,
    territories,
    working_groups,
)

answer_constraints_on(
    {
        "partnership_unique": "organisation",
        "partnership_one_lead": "role",
        "network_link_unique": "to_network",
        "network_link_not_self": "to_network",
        "working_group_unique": "title_it",
        "org_runts_only_third_sector": "runts_section",
        "org_not_own_parent": "parent",
    }
)

router = Router()
for module in (networks, projects, organisations, territories, working_groups, records, search):
    router.add_router("", module.router)

__all__ = ["router"]
