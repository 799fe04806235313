"""The public pages of calls: the list and a call with its lines, rules, FAQ and amendments."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from reti.lib import tabular

from .. import clock, permissions
from ..datasets import CALLS
from ..forms import SampleForm
from ..models import Call
from .common import get_call_for_user


@require_safe
def call_list(request):
    calls = (
        Call.objects.filter(permissions.visible_calls_q(request.user))
        .select_related("global_grant", "global_grant__intermediate_body")
        .order_by("-deadline", "code")
    )
    if tabular.requested(request):
        return tabular.download(request, CALLS, calls.iterator(chunk_size=2000))
    now = clock.now()
    return render(
        request,
        "grants/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_open(now)],
            "other_calls": [c for c in calls if not c.is_open(now)],
            "downloads": tabular.links(request.path, {}),
        },
    )


@require_safe
def call_detail(request, code: str):
    call = get_call_for_user(request, code)
    now = clock.now()
    lines = call.lines.prefetch_related("quotas__territory")
    context = {
        "call": call,
        "lines": lines,
        "budget": sum((line.budget for line in lines), 0),
        "cost_categories": call.cost_categories.all(),
        "required_attachments": call.required_attachments.all(),
        "faqs": call.faqs.filter(published_at__isnull=False),
        "amendments": call.amendments.all(),
        "territories": call.eligible_territories.all(),
        "is_open": call.is_open(now),
        "opens_at": timezone.localtime(call.opens_at),
        "deadline": timezone.localtime(call.deadline),
        "can_apply": call.is_open(now)
        and bool(permissions.applicant_organisation_ids(request.user)),
        "can_draw_sample": call.is_public and permissions.can_draw_sample(request.user, call),
        "sample_form": SampleForm(),
        "can_list_applications": permissions.can_list_applications(request.user, call),
    }
    return render(request, "grants/call_detail.html", context)
