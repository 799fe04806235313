"""The national CSR prize: public editions and winners, candidacies, the managers' page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import permissions, prize
from ..forms import CandidacyForm
from ..models import Candidacy, Company, PrizeEdition
from .common import report


def _edition(year: int) -> PrizeEdition:
    return get_object_or_404(PrizeEdition.objects.select_related("ceremony"), year=year)


@require_safe
def prize_list(request):
    editions = PrizeEdition.objects.all()
    return render(request, "csr/prize_list.html", {"editions": editions})


@require_safe
def prize_edition(request, year: int):
    """An edition: its categories and, once published, winners and mentions with motivations."""
    edition = _edition(year)
    awarded = []
    if edition.published_at is not None:
        awarded = (
            Candidacy.objects.filter(edition=edition)
            .exclude(award="")
            .select_related("company__organisation", "category")
            .order_by("category__order", "position")
        )
    context = {
        "edition": edition,
        "categories": edition.categories.all(),
        "awarded": awarded,
        "manages": permissions.can_manage_prize(request.user, edition),
    }
    return render(request, "csr/prize_edition.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def prize_apply(request, year: int):
    """A representative's candidacy for one of their companies (404 for anyone else)."""
    edition = _edition(year)
    companies = Company.objects.filter(permissions.represented_companies_q(request.user))
    if not companies.exists():
        raise Http404
    form = CandidacyForm(request.POST or None, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prize.submit_candidacy(
                request.user, edition, data["company"], data["initiative"], data["description"]
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Candidatura presentata."))
            return redirect(edition)
    return render(request, "csr/prize_apply.html", {"edition": edition, "form": form})


def _managed(request, year: int) -> PrizeEdition:
    edition = _edition(year)
    if not permissions.can_manage_prize(request.user, edition):
        raise Http404
    return edition


@login_required
@require_safe
def prize_manage(request, year: int):
    """The managers' page: candidacies, the jury's state, the ranking of each category."""
    edition = _managed(request, year)
    context = {
        "edition": edition,
        "candidacies": edition.candidacies.select_related("company__organisation", "category"),
        "ranking": prize.ranking(edition),
    }
    return render(request, "csr/prize_manage.html", context)


@login_required
@require_POST
def prize_publish(request, year: int):
    edition = _managed(request, year)
    try:
        prize.publish_winners(request.user, edition)
    except ValidationError as error:
        report(request, error)
        return redirect("csr:prize_manage", year=year)
    messages.success(request, _("Vincitori pubblicati."))
    return redirect(edition)
