"""Public pages: the catalogue with search and facets, a practice, an attachment, outcomes."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from reti.registry.models import Network

from .. import catalogue, outcomes, permissions
from ..forms import AttachmentForm, SendBackForm, TransferForm, ValidateForm
from ..models import Attachment, Transfer
from .common import get_practice_for_user, versions

CONTENT_TYPES = {
    Attachment.Kind.PDF: "application/pdf",
    Attachment.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Attachment.Kind.ODT: "application/vnd.oasis.opendocument.text",
    Attachment.Kind.PNG: "image/png",
    Attachment.Kind.JPEG: "image/jpeg",
}


def _page_number(value) -> int:
    return int(value) if (value or "").isdigit() and 0 < int(value) < 10_000 else 1


@require_safe
def practice_list(request):
    result = catalogue.browse(request.GET, _page_number(request.GET.get("pagina")))
    kept = {"q": result.query, **result.selected}
    kept = {key: value for key, value in kept.items() if value}
    base = reverse("knowledge:practice_list")

    def url(**changes) -> str:
        params = {**kept, **changes}
        params = {key: value for key, value in params.items() if value}
        return f"{base}?{urlencode(params)}" if params else base

    for facet in result.facets:
        for option in facet.options:
            option.url = url(
                **{facet.spec.param: "" if option.selected else option.value, "pagina": ""}
            )
    context = {
        "result": result,
        "previous_url": url(pagina=result.page - 1) if result.page > 1 else "",
        "next_url": url(pagina=result.page + 1) if result.page < result.pages else "",
        "clear_url": base if kept else "",
    }
    return render(request, "knowledge/practice_list.html", context)


@require_safe
def practice_detail(request, pk: int):
    practice = get_practice_for_user(request, pk)
    user = request.user
    contacts = practice.contacts.select_related("person")
    can_edit = permissions.can_edit(user, practice)
    context = {
        "practice": practice,
        "figures": list(practice.figures.all()),
        "contacts": [c for c in contacts if c.is_public or can_edit],
        "links": list(practice.links.all()),
        # The extracted text (up to a million characters each) is never shown on a page.
        "attachments": list(practice.attachments.defer("extracted_text")),
        "transfers": list(
            practice.transfers.select_related("adopting_organisation", "adopting_region")
        ),
        "similar": catalogue.similar_practices(practice) if practice.is_public else [],
        "versions": versions(practice, user),
        "can_edit": can_edit,
        "can_submit": permissions.can_submit(user, practice),
        "can_review": permissions.can_review(user, practice),
        "can_send_back": permissions.can_send_back(user, practice),
        "can_publish": permissions.can_publish(user, practice),
        "can_archive": permissions.can_archive(user, practice),
        "can_transfer": permissions.may_record_some_transfer(user, practice),
        "validate_form": ValidateForm(),
        "send_back_form": SendBackForm(),
        "attachment_form": AttachmentForm(),
        "transfer_form": TransferForm(),
    }
    return render(request, "knowledge/practice_detail.html", context)


@require_safe
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("practice"), pk=pk)
    if not permissions.can_view(request.user, attachment.practice):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=CONTENT_TYPES[attachment.kind],
    )


@require_safe
def learning_outcomes(request):
    network_slug = (request.GET.get("rete") or "").strip()
    network = Network.objects.filter(slug=network_slug).first() if network_slug else None
    rows = outcomes.per_network([network.pk] if network else None)
    transfers = []
    if network is not None:
        transfers = list(
            Transfer.objects.filter(practice__network=network, practice__state__in=outcomes.PUBLIC)
            .select_related("practice", "adopting_organisation", "adopting_region")
            .order_by("-id")[:100]
        )
    context = {
        "rows": rows,
        "stages": Transfer.Stage.choices,
        "network": network,
        "transfers": transfers,
        "unknown_network": network_slug if network_slug and network is None else "",
    }
    return render(request, "knowledge/outcomes.html", context)
