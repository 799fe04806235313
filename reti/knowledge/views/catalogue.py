"""Public pages: the catalogue with search and facets, a practice, an attachment, outcomes."""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from reti.lib import lists
from reti.registry.models import Network

from .. import catalogue, outcomes, permissions
from ..forms import AttachmentForm, SendBackForm, TransferForm, ValidateForm
from ..models import Attachment, Transfer
from ..tables import PRACTICES, TRANSFERS
from .common import get_practice_for_user, versions

CONTENT_TYPES = {
    Attachment.Kind.PDF: "application/pdf",
    Attachment.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Attachment.Kind.ODT: "application/vnd.oasis.opendocument.text",
    Attachment.Kind.PNG: "image/png",
    Attachment.Kind.JPEG: "image/jpeg",
}


class PracticeFilters(lists.FilterForm):
    """The catalogue's search and facets, named as the API's (reti/knowledge/api/practices.py)."""

    q = forms.CharField(required=False, max_length=500)
    theme = lists.code()
    target_group = lists.code()
    region = lists.code()
    network = lists.code()
    period = lists.code()


@require_safe
@lists.filtered_by(PracticeFilters)
def practice_list(request, filters: PracticeFilters):
    result = catalogue.browse(filters.values, after=filters.after, before=filters.before)
    for name in result.refused:
        filters.refuse(name)
    kept = filters.applied
    base = reverse("knowledge:practice_list")

    def url(**changes) -> str:
        params = {key: value for key, value in {**kept, **changes}.items() if value}
        return f"{base}?{urlencode(params)}" if params else base

    for facet in result.facets:
        for option in facet.options:
            option.url = url(**{facet.spec.param: "" if option.selected else option.value})
    context = {"result": result, "clear_url": base if kept else ""}
    return lists.respond(
        request,
        filters,
        None,
        PRACTICES,
        "knowledge/practice_list.html",
        context,
        page=result.page,
        records=result.every,
    )


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


class OutcomeFilters(lists.FilterForm):
    network = lists.code()


def _transfers(network):
    transfers = Transfer.objects.filter(practice__state__in=outcomes.PUBLIC)
    if network is not None:
        transfers = transfers.filter(practice__network=network)
    return transfers.select_related(
        "practice", "practice__network", "adopting_organisation", "adopting_region"
    )


@require_safe
@lists.filtered_by(OutcomeFilters)
def learning_outcomes(request, filters: OutcomeFilters):
    """Transfers by network; with `network`, that network's transfers. The download holds the
    transfers themselves (of that network, or of every network), newest first."""
    slug = filters.values.get("network")
    network = Network.objects.filter(slug=slug).first() if slug else None
    if slug and network is None:
        filters.refuse("network")
    rows = outcomes.per_network([network.pk] if network else None)
    transfers = _transfers(network)
    context = {
        "rows": rows,
        "stages": Transfer.Stage.choices,
        "network": network,
        "transfers": list(transfers.order_by("-id")[:100]) if network is not None else [],
    }
    return lists.respond(
        request,
        filters,
        transfers,
        TRANSFERS,
        "knowledge/outcomes.html",
        context,
        page=lists.Page([]),
        records=lambda: transfers.order_by("-id").iterator(chunk_size=2000),
    )
