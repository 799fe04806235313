"""The canonical content of a submitted application and its SHA-256, for the receipt.

The content is JSON with sorted keys, no insignificant spaces and UTF-8 text: the same
application always gives the same bytes, so anyone holding the stored content can recompute
the fingerprint. Amounts are strings with two decimals; attachments appear by name, size and
their own SHA-256, so the fingerprint covers the files without embedding them.
"""

import hashlib
import json

from .models import Application


def file_sha256(file) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def canonical_content(application: Application, *, protocol_number: str, submitted_at) -> str:
    """The application as submitted, as canonical JSON text."""
    organisation = application.organisation
    data = {
        "protocol_number": protocol_number,
        "submitted_at": submitted_at.isoformat(),
        "call": application.call.code,
        "line": application.line.code if application.line_id else None,
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name_it,
            "tax_code": organisation.tax_code,
        },
        "title": application.title,
        "summary": application.summary,
        "objectives": application.objectives,
        "target_groups": application.target_groups,
        "activities": application.activities,
        "requested_amount": _money(application.requested_amount),
        "cofinancing_amount": _money(application.cofinancing_amount),
        "territory": application.territory.code if application.territory_id else None,
        "applicant_type": application.applicant_type,
        "declarations": {name: getattr(application, name) for name in Application.DECLARATIONS},
        "partners": [
            {
                "organisation": p.organisation_id,
                "name": p.name or (p.organisation.name_it if p.organisation_id else ""),
                "role": p.role,
                "share": _money(p.share),
            }
            for p in application.partners.select_related("organisation").order_by("id")
        ],
        "budget": [
            {"category": i.category.code, "description": i.description, "amount": _money(i.amount)}
            for i in application.budget_items.select_related("category").order_by("id")
        ],
        "indicator_targets": [
            {"code": t.code, "target": t.target} for t in application.indicator_targets.all()
        ],
        "attachments": attachment_hashes(application),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def attachment_hashes(application: Application) -> list[dict]:
    return [
        {
            "name": a.original_name,
            "required": a.required.code if a.required_id else "",
            "size": a.size,
            "sha256": a.sha256,
        }
        for a in application.attachments.select_related("required").order_by("id")
    ]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
