"""What the CSR app adds to others' pages (reti.lib.extensions)."""

from django.utils import timezone

from . import permissions
from .models import Attestation, Company, CompanyClaim


def organisation_attestations(request, organisation) -> dict | None:
    """A company's attestations that are valid today; nothing for other organisations."""
    today = timezone.localdate()
    found = list(
        Attestation.objects.filter(
            company__organisation=organisation, revoked_at__isnull=True, valid_until__gte=today
        )
    )
    return {"csr_attestations": found} if found else None


def account(request, user) -> dict | None:
    """Links to the user's companies, claims, validation queue and region page."""
    companies = list(Company.objects.filter(permissions.represented_companies_q(user)))
    claims = CompanyClaim.objects.filter(user=user, status=CompanyClaim.Status.PENDING).count()
    expert = permissions.is_any_expert(user)
    officer = bool(permissions.officer_region_ids(user))
    if not (companies or claims or expert or officer):
        return None
    return {
        "csr_companies": companies,
        "csr_pending_claims": claims,
        "csr_expert": expert,
        "csr_officer": officer,
    }
