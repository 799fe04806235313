"""The whole small-grant flow in Chromium, as its people go through it: the officer publishes
the call; an applicant signs up, claims an organisation (verified by the officer), drafts with
autosave, reads what is missing, submits and gets the receipt; after the deadline the officer
examines the application, a committee member scores it on the grid, the chair records the
consensus; the ranking is computed, published provisional, then final; a visitor reads it, in
Italian and in English. Deadlines are passed with the grants clock (`clock.at`), which the
live server reads too (same process)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.grants import clock
from reti.grants.models import Application, Call, RankingRun, RepresentationClaim
from reti.knowledge.tests.files import minimal_pdf
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

from . import factories as gf
from .evaluation import answers

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password
NEW_PASSWORD = "cavallo-batteria-graffetta"


def _log_in(page, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/accedi/"))


def _admin_action(page, model: str, action: str, pk: int) -> None:
    """Tick one row of a back-office list and run one of its actions."""
    page.goto(reverse(f"admin:grants_{model}_changelist"))
    page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def _fill_grid(page, level: str) -> None:
    """Answer every criterion the page shows as `answers(level)` does, with its evidence."""
    given = answers(level)
    for section in page.locator("section.criterion").all():
        code = section.get_attribute("id").removeprefix("criterion-")
        item = given[code]
        value = item["value"]
        value = str(value).lower() if isinstance(value, bool) else str(value)
        field = page.locator(f"[name='v-{code}']")
        if field.first.get_attribute("type") == "radio":
            page.locator(f"[name='v-{code}'][value='{value}']").check(force=True)
        else:
            field.select_option(value)
        page.locator(f"[name='j-{code}']").fill(item["justification"])
        for evidence in page.locator(f"[name^='e-{code}-']").all():
            evidence.fill("domanda.pdf")


@pytest.fixture
def scene(cast):
    """A draft call of an intermediate body on the small-grant merit grid, one organisation
    of the registry with no user, a committee member and a chair."""
    from reti.grids.actions import load_catalogue
    from reti.grids.models import GridTemplate

    load_catalogue()
    body = f.OrganisationFactory(
        name_it="Organismo intermedio (prova)", kind=Organisation.Kind.TECHNICAL_ASSISTANCE
    )
    officer = f.MembershipFactory(organisation=body, user__username="funzionaria").user
    organisation = f.OrganisationFactory(
        name_it="Associazione Ponti (prova)",
        kind=Organisation.Kind.THIRD_SECTOR,
        tax_code=gf.tax_code(),
    )
    call = gf.CallFactory(
        global_grant=gf.GlobalGrantFactory(
            intermediate_body=body, programme__managing_authority=cast.toscana
        ),
        status=Call.Status.DRAFT,
        published_at=None,
        grid_template=GridTemplate.objects.get(code="small-grant-merit", version=1),
    )
    return {
        "line": gf.LineFactory(call=call, code="L1", budget=Decimal("20000.00")),
        "category": gf.CostCategoryFactory(call=call, code="C1", name_it="Personale"),
        "statute": gf.RequiredAttachmentFactory(call=call, code="A1"),
        "officer": officer,
        "organisation": organisation,
        "call": call,
        "member": f.UserFactory(username="componente"),
        "chair": f.UserFactory(username="presidente"),
    }


def test_a_call_from_publication_to_the_final_public_ranking(page, live_server, scene, tmp_path):
    call = scene["call"]

    # 1. The officer publishes the call from the back office.
    _log_in(page, "funzionaria")
    _admin_action(page, "call", "publish_call", call.pk)
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    page.goto(reverse("grants:call_detail", args=[call.code]))
    expect(page.locator("#call-status")).to_have_text("Pubblicato")

    # 2. An applicant signs up, confirms the account from the e-mail, claims the organisation.
    page.context.clear_cookies()
    page.goto(reverse("accounts:sign_up"))
    page.get_by_label("Indirizzo e-mail").fill("ponti@example.org")
    page.get_by_label("Nome", exact=False).first.fill("Paola")
    page.get_by_label("Cognome").fill("Ponti")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.locator("label[for=id_privacy]").click(position={"x": 4, "y": 8})
    page.get_by_role("button", name="Crea l’account").click()
    [message] = mail.outbox
    link = re.search(r"https?://\S+?(/it/area-personale/registrati/conferma/\S+/)", message.body)
    page.goto(link.group(1))
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Attiva l’account").click()
    expect(page.locator("#account-link")).to_contain_text("Paola Ponti")

    page.goto(reverse("grants:call_detail", args=[call.code]))
    page.get_by_role("link", name="chiedi di rappresentare il tuo ente").click()
    assert_accessible(page)
    page.locator("#id_tax_code").fill(scene["organisation"].tax_code)
    page.locator("#id_runts_section").select_option("aps")
    page.locator("#id_runts_number").fill("12345")
    page.locator("#id_legal_representative").fill("Paola Ponti")
    page.locator("#send-claim").click()
    expect(page.locator("#my-claims")).to_contain_text("Associazione Ponti (prova)")
    claim = RepresentationClaim.objects.get(organisation=scene["organisation"])
    assert claim.status == RepresentationClaim.Status.PENDING

    # 3. The officer verifies the claim.
    _log_in(page, "funzionaria")
    _admin_action(page, "representationclaim", "verify_claim", claim.pk)
    claim.refresh_from_db()
    assert claim.status == RepresentationClaim.Status.VERIFIED

    # 4. The applicant drafts: autosave, the list of what is missing, the attachment, submit.
    _log_in(page, claim.user.get_username(), NEW_PASSWORD)
    page.goto(reverse("grants:call_detail", args=[call.code]))
    page.locator("#apply").click()
    page.locator("#id_organisation").select_option(label="Associazione Ponti (prova)")
    page.locator("#id_title").fill("Ponti tra generazioni")
    page.locator("#create-application").click()
    expect(page.locator("#problems")).to_contain_text("Statuto dell'ente")
    expect(page.locator("#problems")).to_contain_text("sintesi del progetto")
    assert_accessible(page)
    application = Application.objects.get(organisation=scene["organisation"])

    page.locator("#id_summary").fill("Laboratori tra anziani e ragazzi nei quartieri.")
    expect(page.locator("#autosave-status")).to_have_text(
        "Bozza salvata automaticamente", timeout=10_000
    )
    application.refresh_from_db()
    assert application.summary.startswith("Laboratori tra anziani")

    page.locator("#id_objectives").fill("Ridurre l'isolamento degli anziani.")
    page.locator("#id_target_groups").fill("Anziani soli, studenti")
    page.locator("#id_activities").fill("Mesi 1-6: laboratori; mesi 7-12: festa di quartiere.")
    page.locator("#id_line").select_option(str(scene["line"].pk))
    page.locator("#id_budget-0-category").select_option(str(scene["category"].pk))
    page.locator("#id_budget-0-amount").fill("10000")
    page.locator("#id_requested_amount").fill("8000")
    page.locator("#id_cofinancing_amount").fill("2000")
    for name in ("truthful", "no_double_funding", "privacy"):
        page.locator(f"label[for=id_declares_{name}]").click(position={"x": 4, "y": 8})
    page.locator("#save").click()
    expect(page.locator("#messages")).to_contain_text("Bozza salvata.")
    expect(page.locator("#problems")).to_contain_text("Statuto dell'ente")
    expect(page.locator("#problems")).not_to_contain_text("sintesi del progetto")

    statute = tmp_path / "statuto.pdf"
    statute.write_bytes(minimal_pdf("Statuto"))
    page.locator("#id_required").select_option(str(scene["statute"].pk))
    page.locator("#id_file").set_input_files(statute)
    page.locator("#upload").click()
    expect(page.locator("#ready")).to_be_visible()
    page.locator("#submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ricevuta di presentazione")
    assert_accessible(page)
    application.refresh_from_db()
    protocol = application.receipt.protocol_number
    expect(page.locator("main")).to_contain_text(protocol)
    expect(page.locator("main")).to_contain_text(application.receipt.content_sha256)
    assert application.status == Application.Status.SUBMITTED

    # 5. After the deadline: the officer examines the application and admits it.
    with clock.at(call.deadline + datetime.timedelta(hours=1)):
        _log_in(page, "funzionaria")
        page.goto(reverse("grants:officer_applications", args=[call.code]))
        page.locator("#applications a").first.click()
        for result in page.locator("select[id^=result-]").all():
            result.select_option("met")
        page.locator("#save-checks").click()
        expect(page.locator("#messages")).to_contain_text("Checklist registrata.")
        page.locator("#id_outcome_0").focus()
        page.keyboard.press("Space")
        page.locator("#decide").click()
        expect(page.locator("#admissibility-outcome")).to_contain_text("Ammissibile")

        # 6. The committee: the officer opens it and assigns; the member scores on the grid;
        # the chair records the consensus.
        page.goto(reverse("grants:call_ranking", args=[call.code]))
        page.locator("#id_chair").fill("presidente")
        page.locator("#id_members").fill("componente")
        page.locator("#id_evaluators_per_subject").fill("1")
        page.locator("#open-committee").click()
        page.locator("#committee a").first.click()
        page.locator("#assign-balanced").click()
        committee_url = page.url

        _log_in(page, "componente")
        page.goto(reverse("grids:my_assignments"))
        page.get_by_role("link", name="Dichiara e valuta").click()
        page.get_by_label("non sussistono situazioni di conflitto di interessi").focus()
        page.keyboard.press("Space")
        page.locator("#declare").click()
        _fill_grid(page, "good")
        page.locator("#submit").click()
        expect(page.locator("#messages")).to_contain_text("Valutazione inviata.")

        _log_in(page, "presidente")
        page.goto(committee_url)
        page.get_by_role("link", name="Registra la decisione collegiale").click()
        _fill_grid(page, "good")
        page.locator("#id_justification").fill("Concordi con la valutazione del componente.")
        page.locator("#record-consensus").click()
        expect(page.locator("#messages")).to_contain_text("Decisione collegiale registrata.")

        # 7. The provisional ranking, computed and published.
        _log_in(page, "funzionaria")
        page.goto(reverse("grants:call_ranking", args=[call.code]))
        page.locator("#id_kind").select_option("provisional")
        page.locator("#run").click()
        expect(page.locator("#entries")).to_contain_text(protocol)
        page.locator("#publish").click()
        expect(page.locator("#run-published")).to_be_visible()
    provisional = RankingRun.objects.get(call=call, kind=RankingRun.Kind.PROVISIONAL)

    # 8. After the appeal window, none lodged: the final ranking.
    with clock.at(provisional.appeal_deadline + datetime.timedelta(minutes=1)):
        page.goto(reverse("grants:call_ranking", args=[call.code]))
        page.locator("#id_kind").select_option("final")
        page.locator("#run").click()
        page.locator("#publish").click()
        expect(page.locator("#run-published")).to_be_visible()

        # 9. A visitor reads the final ranking: funded, 8,000 euro; then in English.
        page.context.clear_cookies()
        page.goto(reverse("grants:ranking_public", args=[call.code]))
        assert_accessible(page)
        expect(page.locator("#run-kind")).to_contain_text("Graduatoria definitiva")
        expect(page.locator("#funded")).to_contain_text(protocol)
        expect(page.locator("#funded")).to_contain_text("Associazione Ponti (prova)")
        expect(page.locator("#funded")).to_contain_text("8.000,00")
        with translation.override("en"):
            english = reverse("grants:ranking_public", args=[call.code])
        page.goto(english)
        expect(page.get_by_role("heading", name="Funded applications")).to_be_visible()
        expect(page.locator("#funded")).to_contain_text(protocol)
        expect(page.locator("#funded")).to_contain_text("8,000.00")
    final = RankingRun.objects.get(call=call, kind=RankingRun.Kind.FINAL)
    assert final.entries.get().status == "funded"
