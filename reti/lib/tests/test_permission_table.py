"""Every page of the site against the whole cast, from one table (issue 22: the probe in CI).

Each row names a page (URL name and the record it is about), the method, and what each person
of the cast gets. The people are those of `reti/conftest.py` and `anonymous`:

- `owner`: Toscana's officer, editor of the organisation that owns each record below;
- `viewer`: a read-only member of Toscana;
- `other_region`: Lazio's officer, partner of Toscana's project (the wrong organisation);
- `secretariat`: Trento's editor, secretariat of the records' network;
- `staff`: staff with no model permission; `outsider`: signed in, no organisation;
- `anonymous`: not signed in.

What they get: `OK` (the page answers: 200, or a redirect that is not to the sign-in page),
`LOGIN` (a redirect to sign in), `DENIED` (403 or 404: refused, and a draft's existence stays
private), or an exact status. A last test fails when a page exists that the table does not
list, so a new page cannot arrive without saying who may open it.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import reti
from reti.accounts.models import Consent, JoinRequest
from reti.communities.models import Community, Member, Post, Thread
from reti.events.tests.factories import EventFactory, RegistrationFactory
from reti.grants.models import Application, DocumentRequest, Grant
from reti.grants.tests import factories as grant_factories
from reti.grids.actions import load_catalogue
from reti.knowledge.models import Attachment
from reti.knowledge.tests.factories import PracticeFactory
from reti.monitoring.models import ImportBatch
from reti.monitoring.tests import factories as mf
from reti.opendata import dumps
from reti.registry.tests.factories import ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "viewer", "owner", "other_region", "secretariat", "staff")
OK, LOGIN, DENIED = "ok", "login", "denied"


@dataclass(frozen=True)
class Row:
    """A page, how it is asked for, and what each role gets (`default` for those not named)."""

    name: str
    args: tuple = ()
    method: str = "get"
    default: str | int = OK
    roles: dict = field(default_factory=dict)

    def expected(self, role: str):
        return self.roles.get(role, self.default)


def signed_in_only(**roles) -> dict:
    return {"anonymous": LOGIN, **roles}


def only(*allowed: str, anonymous=LOGIN, refused=DENIED) -> dict:
    """`allowed` roles get OK, anonymous is sent to sign in, everyone else is refused."""
    table = {role: (OK if role in allowed else refused) for role in ROLES}
    table["anonymous"] = anonymous if "anonymous" not in allowed else OK
    return table


# Staff here are registry staff: they do everything with practices, events and communities,
# but read no participant data without the auditor permission.
WRITE_PRACTICE = only("owner", "staff")
SEE_DRAFT = only("owner", "secretariat", "staff", anonymous=DENIED)
REVIEW = only("secretariat", "staff")
ORGANISE = only("owner", "secretariat", "staff")
PARTICIPANT_DATA = only("owner")
# Visitors are told what the page holds and who may open it (200); signed-in accounts
# without access are refused with the same explanation.
DASHBOARDS = only("owner", "other_region", "secretariat", anonymous=OK)
MODERATE = only("secretariat", "staff")
EDITORS = signed_in_only(outsider=DENIED, viewer=DENIED)

TABLE = [
    # Accounts
    Row("accounts:account", roles=signed_in_only()),
    Row("accounts:login"),
    Row("accounts:password_change", roles=signed_in_only()),
    Row("accounts:password_change_done", roles=signed_in_only()),
    Row("accounts:password_reset"),
    Row("accounts:password_reset_done"),
    Row("accounts:password_reset_complete"),
    # Sign-up answers everyone (a signed-in user is sent to their page).
    Row("accounts:sign_up"),
    Row("accounts:sign_up_done"),
    Row("accounts:sign_up_resend"),
    Row("accounts:privacy"),
    Row("accounts:join_request", roles=signed_in_only()),
    # A request to join Toscana: its admins (none in the cast), the secretariat of a network
    # Toscana is in (none here) and staff decide; Toscana's editor and viewer do not.
    Row("accounts:join_request_approve", ("join_request",), method="post", roles=only("staff")),
    Row("accounts:join_request_refuse", ("join_request",), method="post", roles=only("staff")),
    # Second factor and people's rights (reti/accounts/twofactor.py, rights.py): each person
    # acts on their own account only; staff close their account through another staff member.
    Row("accounts:security", roles=signed_in_only()),
    Row("accounts:second_factor", roles=signed_in_only()),
    Row("accounts:second_factor_enrol", roles=signed_in_only()),
    Row("accounts:second_factor_recovery_codes", method="post", roles=signed_in_only()),
    Row("accounts:second_factor_disable", method="post", roles=signed_in_only()),
    Row("accounts:my_data", roles=signed_in_only()),
    Row("accounts:my_data_json", roles=signed_in_only()),
    Row("accounts:my_data_zip", roles=signed_in_only()),
    Row("accounts:erase", roles=signed_in_only(staff=DENIED)),
    Row("accounts:consent_give", method="post", roles=signed_in_only()),
    Row("accounts:consent_withdraw", ("consent",), method="post", roles=only("viewer")),
    # Portal and registry: public
    Row("portal:home"),
    Row("portal:network_list"),
    Row("portal:network_detail", ("network",)),
    Row("portal:project_list"),
    Row("portal:project_detail", ("toscana_project",)),
    Row("portal:organisation_list"),
    Row("portal:organisation_detail", ("toscana",)),
    Row("portal:timeline"),
    Row("portal:territory_map"),
    Row("portal:graph"),
    Row("portal:graph_data"),
    Row("portal:search"),
    # Good practices
    Row("knowledge:practice_list"),
    Row("knowledge:outcomes"),
    Row("knowledge:practice_detail", ("published",)),
    Row("knowledge:practice_detail", ("draft",), roles=SEE_DRAFT),
    Row("knowledge:practice_create", roles=EDITORS),
    Row("knowledge:practice_mine", roles=signed_in_only()),
    Row("knowledge:review_queue", roles=REVIEW),
    Row("knowledge:practice_edit", ("draft",), roles=WRITE_PRACTICE),
    Row("knowledge:practice_parts", ("draft",), roles=WRITE_PRACTICE),
    Row("knowledge:practice_submit", ("draft",), "post", roles=WRITE_PRACTICE),
    Row("knowledge:practice_validate", ("submitted",), "post", roles=REVIEW),
    Row("knowledge:practice_send_back", ("submitted",), "post", roles=REVIEW),
    Row("knowledge:practice_publish", ("validated",), "post", roles=REVIEW),
    Row("knowledge:practice_archive", ("published",), "post", roles=REVIEW),
    Row("knowledge:attachment_upload", ("draft",), "post", roles=WRITE_PRACTICE),
    Row("knowledge:attachment_download", ("draft_attachment",), roles=SEE_DRAFT),
    Row("knowledge:attachment_remove", ("draft_attachment",), "post", roles=WRITE_PRACTICE),
    Row("knowledge:transfer_create", ("published",), roles=EDITORS),
    # Events
    Row("events:list"),
    Row("events:calendar"),
    Row("events:feed"),
    Row("events:network_feed", ("network_slug",)),
    Row("events:theme_feed", ("theme_code",)),
    Row("events:detail", ("event",)),
    Row("events:detail_ics", ("event",)),
    # Anyone registers, anonymous people with name and e-mail: an empty form is a 400 naming
    # the missing fields, for everyone alike.
    Row("events:register", ("event",), "post", default=400),
    Row("events:create", roles=EDITORS),
    Row("events:edit", ("event",), roles=ORGANISE),
    Row("events:attendance", ("event",), "post", roles=ORGANISE),
    Row("events:outputs", ("event",), roles=ORGANISE),
    Row(
        "events:cancel",
        ("registration",),
        "post",
        roles=only("other_region", "owner", "secretariat", "staff", anonymous=DENIED),
    ),
    # Communities
    Row("communities:list"),
    Row("communities:detail", ("community",)),
    Row("communities:thread", ("thread",)),
    Row("communities:join", ("community",), "post", roles=signed_in_only()),
    Row("communities:leave", ("community",), "post", roles=signed_in_only()),
    Row("communities:lock", ("thread",), "post", roles=MODERATE),
    Row("communities:hide", ("post",), "post", roles=MODERATE),
    # Evaluation grids: published grids are public; assignments need an account
    Row("grids:grid_list"),
    Row("grids:grid_detail", ("grid_code", "grid_version")),
    Row("grids:my_assignments", roles=signed_in_only()),
    # Grants: published calls are public; a draft application only its organisation's
    # representatives (Toscana's officer here), not the intermediate body (Trento), not staff
    Row("grants:call_list"),
    Row("grants:call_detail", ("call_code",)),
    Row("grants:claims", roles=signed_in_only()),
    Row("grants:application_mine", roles=signed_in_only()),
    Row("grants:application_create", ("call_code",), roles=signed_in_only()),
    Row("grants:application_edit", ("grant_draft",), roles=only("owner")),
    Row("grants:application_detail", ("grant_draft",), roles=only("owner")),
    # Grant management: a grant of Toscana (owner: its representative) on a call of Trento's
    # intermediate body (secretariat: the call's officer); staff act as officers
    Row("grants:grant_list", roles=signed_in_only()),
    Row("grants:grant_detail", ("grant",), roles=only("owner", "secretariat", "staff")),
    Row("grants:grant_archive", ("grant",), roles=only("owner", "secretariat", "staff")),
    Row("grants:sample_draw", ("call_code",), "post", roles=only("secretariat", "staff")),
    # The instrument report: everyone reads it, the public version through the disclosure
    # gate; which version each person gets: grants/tests/test_instrument_report.py
    Row("grants:instrument_overview"),
    Row("grants:instrument_report", ("global_grant",)),
    # Grants after the deadline: a published ranking is public (none yet: the page says so);
    # the call's officers (Trento's secretariat here) and staff manage committee and runs
    Row("grants:ranking_public", ("call_code",)),
    Row("grants:call_ranking", ("call_code",), roles=only("secretariat", "staff")),
    Row("grants:committee_open", ("call_code",), "post", roles=only("secretariat", "staff")),
    Row("grants:committee_add", ("call_code",), "post", roles=only("secretariat", "staff")),
    Row("grants:run_create", ("call_code",), "post", roles=only("secretariat", "staff")),
    Row("grants:scroll", ("call_code",), "post", roles=only("secretariat", "staff")),
    # CSR: the anonymous self-assessment is for everyone; a company's pages need an account;
    # the validation queue is for the region's experts, the region page for its officers
    # (none in this cast: the cast's regions have no territory) and staff
    Row("csr:home"),
    Row("csr:anonymous"),
    Row("csr:anonymous_result"),
    Row("csr:anonymous_pdf"),
    Row("csr:anonymous_json"),
    Row("csr:anonymous_clear", method="post"),
    Row("csr:mine", roles=signed_in_only()),
    Row("csr:company_register", roles=signed_in_only()),
    Row("csr:claim_create", roles=signed_in_only()),
    Row("csr:validation_queue", roles=only()),
    Row("csr:region", roles=only("staff")),
    Row("csr:facilitation_list"),
    Row("csr:network"),
    Row("csr:prize_list"),
    # Grants, the istruttoria: a call past its deadline whose intermediate body is Trento (the
    # secretariat here is its officer), Toscana's submitted application with a request
    # answered by a PDF; another applicant, another body's officer, anyone else: 404
    Row("grants:officer_applications", ("closed_call_code",), roles=only("secretariat", "staff")),
    Row("grants:officer_application", ("grant_submitted",), roles=only("secretariat", "staff")),
    Row(
        "grants:officer_checks",
        ("grant_submitted",),
        "post",
        roles=only("secretariat", "staff"),
    ),
    Row(  # an empty form: the page again, with the errors
        "grants:officer_decide",
        ("grant_submitted",),
        "post",
        roles=only("secretariat", "staff", refused=DENIED) | {"secretariat": 400, "staff": 400},
    ),
    Row(
        "grants:officer_request",
        ("grant_submitted",),
        "post",
        roles=only("secretariat", "staff") | {"secretariat": 400, "staff": 400},
    ),
    Row("grants:document_request_answer", ("grant_request",), "post", roles=only("owner")),
    Row(
        "grants:document_request_file",
        ("grant_request",),
        roles=only("owner", "secretariat", "staff"),
    ),
    # Monitoring: public figures, private participants
    Row("monitoring:home"),
    Row("monitoring:indicators"),
    Row("monitoring:comparison"),
    Row("monitoring:homogeneity"),
    Row("monitoring:intervention_list"),
    Row("monitoring:intervention_detail", ("intervention",)),
    Row("monitoring:template"),
    Row("monitoring:template_csv", default=301),  # old addresses of the template's downloads
    Row("monitoring:template_xlsx", default=301),
    Row("monitoring:column_specification"),
    Row("monitoring:dashboard", roles=DASHBOARDS),
    Row("monitoring:added_value", roles=DASHBOARDS),
    Row("monitoring:batch_upload", ("intervention",), "post", roles=PARTICIPANT_DATA),
    Row("monitoring:participant_export", ("intervention",), roles=PARTICIPANT_DATA),
    # Old addresses of the downloads: a redirect to the page's `format`, for everyone.
    Row("monitoring:participant_export_csv", ("intervention",), default=301),
    Row("monitoring:batch_detail", ("batch",), roles=PARTICIPANT_DATA),
    Row("monitoring:batch_status", ("batch",), roles=PARTICIPANT_DATA),
    Row("monitoring:batch_report", ("batch",), default=301),
    # Open data: public, for everyone (only public rows: reti/opendata/tests)
    Row("opendata:list"),
    Row("opendata:detail", ("dataset_code",)),
    Row("opendata:package", ("dataset_code",)),
    Row("opendata_catalog:catalog"),
    Row("opendata_catalog:catalog_file", ("catalog_suffix",)),
    # A dataset's nightly dump (written in the world below): public files, for everyone.
    Row("opendata_catalog:dump_file", ("dataset_code", "dump_name")),
    # PDF reports (issue 20): public like their pages. The network's dossier for everyone;
    # a region's indicator report needs ?regione= and a monitoring snapshot, so here (no
    # region) it is not found for everyone alike; with them, every role gets the same public
    # report: monitoring/tests/test_region_report_pdf.py.
    Row("portal:network_pdf", ("network",)),
    Row("monitoring:indicators_pdf", default=404),
]

# Pages this table does not try, and why: each is covered where its reason says.
NOT_IN_TABLE = {
    "set_language": "Django's language switch (POST, any visitor)",
    "accounts:logout": "signing out works for everyone: accounts tests",
    "accounts:password_reset_confirm": "needs a mailed token: accounts tests",
    "accounts:sign_up_confirm": "needs a mailed token: accounts/tests/test_sign_up.py",
    "events:follow_up_edit": "follow-up items: events/tests/test_outputs.py",
    "events:cancel_by_link": "needs a mailed token: events/tests/test_registrations.py",
    "communities:unsubscribe": "needs a mailed token: communities tests",
    "events:my_feed": "needs the user's secret feed token: events/tests/test_feeds.py",
    **{
        f"grids:{name}": "committee roles (chair, secretary, evaluators A and B, an evaluator "
        "of another committee, the subject's owner before and after publication, the other "
        "applicant) against every view: grids/tests/test_permissions.py"
        for name in (
            "declare",
            "score",
            "assessment_sheet",
            "assessment_reopen",
            "assessment_reproject",
            "committee_detail",
            "committee_assign_balanced",
            "committee_assign",
            "committee_consensus",
            "committee_ranking",
            "committee_publish",
        )
    },
    **{
        f"grants:{name}": "applicants A and B, the intermediate body's officer, staff, an "
        "outsider and anonymous against every view: grants/tests/test_pages.py"
        for name in (
            "application_submit",
            "application_withdraw",
            "attachment_upload",
            "attachment_download",
            "attachment_remove",
            "receipt",
            "receipt_download",
        )
    },
    **{
        f"grants:{name}": "beneficiaries A and B, the intermediate body's officer, manager and "
        "accounting, an auditor, an outsider and anonymous against every view, and the wrong "
        "method: grants/tests/test_management_pages.py"
        for name in (
            "grant_decide",
            "agreement_generate",
            "agreement_accept",
            "agreement_pdf",
            "payment_prepare",
            "payment_approve",
            "payment_pay",
            "payment_reverse",
            "report_create",
            "report_detail",
            "report_document_upload",
            "report_document_download",
            "report_submit",
            "report_verify",
            "change_request",
            "change_decide",
            "grant_renounce",
            "grant_revoke",
            "recovery_record",
            "grant_close",
        )
    },
    "grants:instrument_report_pdf": "the printable instrument report, full and public, the "
    "wrong method: grants/tests/test_instrument_report.py",
    **{
        f"grants:{name}": "applicants A and B, the officer, an evaluator with and without a "
        "conflict, the chair, the managing authority, another network's secretariat, "
        "anonymous, against runs published and not: grants/tests/test_ranking_pages.py"
        for name in ("run_detail", "run_publish", "run_export", "appeal_lodge", "appeal_decide")
    },
    "grants:run_pdf": "the officer, applicant A, the managing authority, an outsider and "
    "anonymous against runs published and not, and the wrong method: "
    "grants/tests/test_ranking_pdf.py",
    **{
        f"csr:{name}": "an edition's pages: anonymous, an outsider, a region officer, a company's "
        "representative, the promoting network's secretariat and staff, with the wrong "
        "method: csr/tests/test_prize.py::test_who_reaches_the_prize_pages"
        for name in (
            "prize_edition",
            "prize_apply",
            "prize_manage",
            "prize_publish",
        )
    },
    **{
        f"csr:{name}": "companies A and B, the region's expert with and without a conflict, "
        "the region's officer and another region's, the secretariat, staff, an outsider and "
        "anonymous against every view: csr/tests/test_views.py"
        for name in (
            "attestation_verify",
            "company_detail",
            "assessment_start",
            "assessment_edit",
            "assessment_detail",
            "assessment_pdf",
            "assessment_json",
            "evidence_download",
            "evidence_remove",
            "plan_add",
            "plan_status",
            "attestation_pdf",
            "attestation_revoke",
            "validation_take",
            "validation_review",
            "claim_verify",
            "claim_refuse",
        )
    },
    "portal:network_download": "downloads of public lists: portal tests",
    "portal:project_download": "downloads of public lists: portal tests",
    "portal:territory_detail": "needs the ISTAT territories: portal/tests/test_territories.py",
    "portal:record_history": "history of registry records: registry/tests/test_history.py",
    **dict.fromkeys(
        (
            "identity:choose",
            "identity:start",
            "identity:logout",
            "identity:remove",
            "identity_saml:metadata",
            "identity_saml:cie_metadata",
            "identity_saml:acs",
        ),
        "SPID and CIE answer 404 until configured; with local test identity providers, owner, "
        "other user, anonymous and wrong method: identity/tests/test_views.py",
    ),
    "identity_saml:slo": "404 until configured and without a message, 405 on the wrong "
    "method; another provider's request and an anonymous browser: "
    "identity/tests/test_logout.py",
}


@pytest.fixture
def world(cast, settings, tmp_path):
    """One record of each kind, owned by Toscana, in the cast's network (secretariat: Trento)."""
    settings.MONITORING_SNAPSHOT_DIR = tmp_path / "snapshot"
    settings.OPENDATA_DUMP_DIR = tmp_path / "dumps"
    intervention = mf.InterventionFactory(
        organisation=cast.toscana, region=mf.region("09", "Toscana"), code="TOS-001"
    )
    now = timezone.now()
    dates = {
        "draft": {},
        "submitted": {"submitted_at": now},
        "validated": {"submitted_at": now, "validated_at": now},
        "published": {"submitted_at": now, "validated_at": now, "published_at": now},
    }
    practices = {
        state: PracticeFactory(
            lead_organisation=cast.toscana, network=cast.network, state=state, **stamps
        )
        for state, stamps in dates.items()
    }
    attachment = Attachment.objects.create(
        practice=practices["draft"],
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="prova.pdf"),
        original_name="prova.pdf",
        kind="pdf",
        size=14,
    )
    event = EventFactory(host=cast.toscana, network=cast.network)
    registration = RegistrationFactory(event=event, user=cast.lazio_officer)
    theme = ThemeFactory(code="inclusione-prova")
    event.themes.add(theme)
    community = Community.objects.create(
        slug="comunita-prova", name_it="Comunità di prova", network=cast.network, is_public=True
    )
    Member.objects.create(community=community, user=cast.lazio_officer)
    thread = Thread.objects.create(
        community=community, title="Prima", author=cast.lazio_officer, last_post_at=timezone.now()
    )
    post = Post.objects.create(thread=thread, author=cast.lazio_officer, body="Ciao")
    batch = ImportBatch.objects.create(
        intervention=intervention,
        file_name="partecipanti.csv",
        sha256="0" * 64,
        mode="add",
        uploaded_by=cast.toscana_officer,
    )
    grid = load_catalogue()[0][0]
    join_request = JoinRequest.objects.create(
        user=UserFactory(username="applicant"),
        organisation=cast.toscana,
        role="editor",
        message="Vorrei aderire.",
        language="it",
    )
    call = grant_factories.CallFactory(global_grant__intermediate_body=cast.trento)
    grant_factories.applicant_claim(cast.toscana_officer, cast.toscana)
    grant_draft = Application.objects.create(
        call=call, organisation=cast.toscana, created_by=cast.toscana_officer, title="Bozza"
    )
    funded = Application.objects.create(
        call=grant_factories.CallFactory(global_grant=call.global_grant),
        organisation=cast.toscana,
        created_by=cast.toscana_officer,
        title="Finanziata",
        status=Application.Status.SUBMITTED,
    )
    grant = Grant.objects.create(
        application=funded,
        ranking_entry=grant_factories.funded(funded),
        decree_number="D1",
        decree_date=timezone.localdate(),
        decree_signer="Dirigente",
        cup="J51B21000000001",
        amount="8000.00",
        decided_by=cast.secretariat,
        decided_at=timezone.now(),
    )
    # The istruttoria: a closed call of Trento's, Toscana's application submitted, a request.
    closed_call = grant_factories.CallFactory(
        global_grant=call.global_grant,
        opens_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=1),
    )
    grant_submitted = Application.objects.create(
        call=closed_call,
        organisation=cast.toscana,
        created_by=cast.toscana_officer,
        title="Presentata",
        status=Application.Status.SUBMITTED,
        submitted_at=now - datetime.timedelta(days=2),
    )
    grant_request = DocumentRequest.objects.create(
        application=grant_submitted,
        text="Statuto firmato",
        deadline=now + datetime.timedelta(days=5),
        asked_by=cast.secretariat,
        asked_at=now,
        answer_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="risposta.pdf"),
        answer_name="risposta.pdf",
    )
    dumps.write_all(codes=("reti",))
    return {
        "call_code": call.code,
        "global_grant": call.global_grant.pk,
        "grant_draft": grant_draft.pk,
        "grant": grant.pk,
        "closed_call_code": closed_call.code,
        "grant_submitted": grant_submitted.pk,
        "grant_request": grant_request.pk,
        "catalog_suffix": "ttl",
        "dataset_code": "reti",
        "dump_name": "SHA256SUMS",
        "grid_code": grid.code,
        "grid_version": grid.version,
        "network": cast.network.slug,
        "network_slug": cast.network.slug,
        "theme_code": theme.code,
        "toscana_project": cast.toscana_project.pk,
        "toscana": cast.toscana.pk,
        **{state: practice.pk for state, practice in practices.items()},
        "draft_attachment": attachment.pk,
        "event": event.pk,
        "registration": registration.pk,
        "community": community.slug,
        "thread": thread.pk,
        "post": post.pk,
        "intervention": intervention.pk,
        "batch": batch.pk,
        "join_request": join_request.pk,
        "consent": Consent.objects.create(
            user=cast.viewer, purpose="newsletter", text_version="0" * 16
        ).pk,
    }


def _user(cast, role):
    return {
        "anonymous": None,
        "outsider": cast.outsider,
        "viewer": cast.viewer,
        "owner": cast.toscana_officer,
        "other_region": cast.lazio_officer,
        "secretariat": cast.secretariat,
        "staff": cast.staff,
    }[role]


def _outcome(response) -> str | int:
    status = response.status_code
    if status in (302, 303):
        target = urlsplit(response["Location"]).path
        return LOGIN if target == reverse("accounts:login") else OK
    if status == 200:
        return OK
    return status


def _matches(outcome, expected) -> bool:
    if expected == DENIED:
        return outcome in (403, 404)
    return outcome == expected


def _cases():
    for row in TABLE:
        for role in ROLES:
            yield pytest.param(row, role, id=f"{row.name}{list(row.args)}-{row.method}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_each_person_gets_what_the_table_says(client, cast, world, row, role):
    user = _user(cast, role)
    if user is not None:
        client.force_login(user)
    url = reverse(row.name, args=[world[arg] for arg in row.args])

    response = getattr(client, row.method)(url)

    expected = row.expected(role)
    assert _matches(_outcome(response), expected), (role, url, response.status_code, expected)


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_page_is_in_the_table_or_says_why_not():
    names = set(_url_names(get_resolver().url_patterns))
    pages = {n for n in names if not n.startswith(("api:", "admin:", "reti_admin:"))}
    listed = {row.name for row in TABLE} | set(NOT_IN_TABLE)

    assert sorted(pages - listed) == []
    assert sorted(listed - pages) == []


def test_the_table_is_not_empty_of_refusals():
    # A table where everyone may do everything would pass trivially.
    refusals = [row for row in TABLE if DENIED in row.roles.values()]
    assert len(refusals) >= 20


# The apps that arrived after the probe: each of their pages is in the table above or in the
# cast test of the file its reason names.
NEW_APPS = ("grids", "grants", "csr", "identity", "identity_saml", "opendata", "opendata_catalog")
TEST_FILE = re.compile(r"\b[a-z_]+/tests/test_[a-z_]+\.py\b")


def test_a_page_of_a_new_app_left_out_of_the_table_names_the_cast_test_that_tries_it():
    """A reason is not a promise: the file it names must exist, ask for the page by its name,
    and try it anonymously, so that a page of grids, grants, CSR, identity or open data cannot
    leave the table for a file that never opens it."""
    root = Path(reti.__file__).parent
    unchecked = {}
    for name, reason in NOT_IN_TABLE.items():
        namespace, _, short = name.rpartition(":")
        if namespace not in NEW_APPS:
            continue
        files = TEST_FILE.findall(reason)
        sources = [(root / f).read_text(encoding="utf-8") for f in files if (root / f).exists()]
        asked = re.compile(rf"[\"':]{re.escape(short)}[\"']")
        if not (
            files
            and len(sources) == len(files)
            and any(asked.search(s) for s in sources)
            and any("anonymous" in s or "Client()" in s or "type(client)()" in s for s in sources)
        ):
            unchecked[name] = reason
    assert unchecked == {}


def test_every_page_of_the_new_apps_is_tried():
    names = {n for n in _url_names(get_resolver().url_patterns) if n.split(":")[0] in NEW_APPS}
    tried = {row.name for row in TABLE} | {n for n in NOT_IN_TABLE if n.split(":")[0] in NEW_APPS}

    assert len(names) > 100  # grids, grants, CSR, identity and open data are all mounted
    assert sorted(names - tried) == []
