"""What monitoring adds to other apps' pages (declared in apps.py, see reti.lib.extensions)."""

from . import permissions


def account_monitoring(request, user) -> dict | None:
    """Auditors and dashboard readers: their access and where it leads; nothing for others."""
    auditor = permissions.is_auditor(user)
    dashboards = permissions.can_view_dashboards(user)
    if not (auditor or dashboards):
        return None
    return {"auditor": auditor, "dashboards": dashboards}
