"""The knowledge module's REST API: /practices and /transfers (see docs/knowledge.md)."""

from ninja import Router

from . import practices, transfers

router = Router(tags=["knowledge"])
router.add_router("", practices.router)
router.add_router("", transfers.router)
