"""What monitoring adds to other apps' pages (declared in apps.py, see reti.lib.extensions)."""

from . import permissions


def account_monitoring(request, user) -> dict | None:
    """Auditors and dashboard readers: their access and where it leads; nothing for others."""
    auditor = permissions.is_auditor(user)
    dashboards = permissions.can_view_dashboards(user)
    if not (auditor or dashboards):
        return None
    return {"auditor": auditor, "dashboards": dashboards}


# Territories whose indicators the dashboards show (the regions and autonomous provinces).
REGIONAL_LEVELS = ("region", "autonomous_province")


def territory_indicators(request, territory) -> dict | None:
    """A link to the region's indicators by gender, on a Region's (or autonomous province's)
    page; nothing on other territories'."""
    return {} if territory.level in REGIONAL_LEVELS else None
