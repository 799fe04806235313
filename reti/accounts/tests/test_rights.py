"""People's rights: the download of one's data (JSON, ZIP of CSV), consents, erasure."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from reti.accounts import actions, consents
from reti.accounts.models import Consent, Erasure, JoinRequest, Membership, SignInEvent
from reti.communities import actions as community_actions
from reti.communities.models import Community, Post
from reti.events.models import Registration
from reti.events.tests import factories as ef
from reti.grants import actions as grant_actions
from reti.grants.models import Application, RepresentationClaim
from reti.grants.tests import factories as grf
from reti.grids.models import Assessment
from reti.grids.tests import factories as gf
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

from .conftest import PASSWORD


def _life(cast, user, tag: str) -> dict:
    """A person's records in every app, each marked with `tag` so exports can be told apart."""
    community = Community.objects.get_or_create(
        slug="cdp-diritti", name_it="Comunità di prova", is_public=True
    )[0]
    community_actions.join(user, community)
    community_actions.start_thread(
        user, community, title=f"Discussione {tag}", body=f"=HYPERLINK('x') {tag}"
    )
    registration = ef.RegistrationFactory(user=user, name=f"Nome {tag}", email=f"{tag}@x.org")
    organisation = f.OrganisationFactory(
        name_it=f"Ente {tag}", kind=Organisation.Kind.THIRD_SECTOR, tax_code=grf.tax_code()
    )
    grf.applicant_claim(user, organisation)
    call = grf.CallFactory(
        global_grant=grf.GlobalGrantFactory(programme__managing_authority=cast.toscana)
    )
    application = grant_actions.create_application(user, call, organisation, f"Progetto {tag}")
    assessment = Assessment.objects.create(
        template=gf.GridTemplateFactory(),
        mode=Assessment.Mode.SELF,
        evaluator=user,
        answers={"note": tag},
        **gf.subject_of(organisation),
    )
    actions.give_consent(user, Consent.Purpose.NEWSLETTER)
    SignInEvent.objects.create(user=user, method="password", network="192.0.2.0/24")
    return {"registration": registration, "application": application, "assessment": assessment}


@pytest.fixture
def lives(cast):
    return _life(cast, cast.toscana_officer, "toscana"), _life(cast, cast.lazio_officer, "lazio")


class TestDownload:
    def test_the_json_holds_every_app_and_only_the_persons_own_data(self, client, cast, lives):
        client.force_login(cast.toscana_officer)
        response = client.get(reverse("accounts:my_data_json"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        text = response.content.decode()
        assert "lazio" not in text.lower().replace("regione lazio (prova)", "")
        assert data["accounts.profile"][0]["username"] == "toscana"
        assert [m["organisation"] for m in data["accounts.memberships"]] == [str(cast.toscana)]
        assert data["events.registrations"][0]["name"] == "Nome toscana"
        assert data["communities.posts"][0]["body"] == "=HYPERLINK('x') toscana"
        assert data["communities.threads"][0]["title"] == "Discussione toscana"
        assert data["grants.applications"][0]["title"] == "Progetto toscana"
        assert data["grants.representation_claims"][0]["organisation"] == "Ente toscana"
        assert data["grids.assessments"][0]["answers"] == {"note": "toscana"}
        assert data["accounts.consents"][0]["purpose"] == "newsletter"
        assert data["accounts.consents"][0]["text_version"] == consents.version("newsletter")
        networks = {row["network"] for row in data["accounts.sign_ins"]}
        assert "192.0.2.0/24" in networks
        assert "monitoring.participant_data_access" in data

    def test_the_zip_holds_one_csv_per_table_with_formulas_escaped(self, client, cast, lives):
        client.force_login(cast.toscana_officer)
        response = client.get(reverse("accounts:my_data_zip"))
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = set(archive.namelist())
        assert {
            "accounts.profile.csv",
            "events.registrations.csv",
            "grids.assessments.csv",
        } <= names
        posts = archive.read("communities.posts.csv").decode()
        assert posts.splitlines()[0] == "thread,body,hidden,created_at"
        assert "'=HYPERLINK('x') toscana" in posts
        assert "lazio" not in "".join(archive.read(name).decode() for name in names).replace(
            "Regione Lazio (prova)", ""
        )

    @pytest.mark.parametrize("name", ["my_data", "my_data_json", "my_data_zip"])
    def test_anonymous_is_sent_to_sign_in(self, client, db, name):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    @pytest.mark.parametrize("name", ["my_data", "my_data_json", "my_data_zip"])
    def test_wrong_method(self, client, cast, name):
        client.force_login(cast.outsider)
        assert client.post(reverse(f"accounts:{name}")).status_code == 405

    def test_the_page_offers_both_downloads_and_the_consents(self, client, cast):
        client.force_login(cast.outsider)
        page = client.get(reverse("accounts:my_data")).content.decode()
        assert reverse("accounts:my_data_json") in page and reverse("accounts:my_data_zip") in page
        for text in consents.TEXTS.values():
            assert text[:40] in page


class TestConsents:
    def test_giving_records_the_version_of_the_text_and_withdrawing_keeps_the_row(
        self, client, cast
    ):
        client.force_login(cast.outsider)
        url = reverse("accounts:consent_give")
        assert client.post(url, {"purpose": "directory"}).status_code == 302
        consent = Consent.objects.get(user=cast.outsider)
        assert consent.text_version == consents.version("directory") and consent.is_current
        assert consents.gives(cast.outsider, "directory")
        client.post(url, {"purpose": "directory"})  # a second click changes nothing
        assert Consent.objects.filter(user=cast.outsider).count() == 1
        client.post(reverse("accounts:consent_withdraw", args=[consent.pk]))
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert not consents.gives(cast.outsider, "directory")
        assert consent.history.count() == 2  # given, withdrawn: audited

    def test_a_new_text_needs_a_new_consent(self, client, cast, monkeypatch):
        client.force_login(cast.outsider)
        client.post(reverse("accounts:consent_give"), {"purpose": "newsletter"})
        monkeypatch.setitem(consents.TEXTS, Consent.Purpose.NEWSLETTER, "Testo nuovo.")
        assert not consents.gives(cast.outsider, "newsletter")
        page = client.get(reverse("accounts:my_data")).content.decode()
        assert "Il testo è cambiato da allora." in page
        client.post(reverse("accounts:consent_give"), {"purpose": "newsletter"})
        rows = Consent.objects.filter(user=cast.outsider).order_by("id")
        assert [row.is_current for row in rows] == [False, True]
        assert consents.gives(cast.outsider, "newsletter")

    def test_an_unknown_purpose_is_refused(self, client, cast):
        client.force_login(cast.outsider)
        response = client.post(reverse("accounts:consent_give"), {"purpose": "sale"}, follow=True)
        assert "Scegli una finalità del consenso." in response.content.decode()
        assert not Consent.objects.exists()

    def test_another_persons_consent_does_not_exist_for_you(self, client, cast):
        consent = actions.give_consent(cast.viewer, "directory")
        client.force_login(cast.outsider)
        url = reverse("accounts:consent_withdraw", args=[consent.pk])
        assert client.post(url).status_code == 404
        consent.refresh_from_db()
        assert consent.is_current

    def test_anonymous_and_wrong_method(self, client, cast):
        consent = actions.give_consent(cast.viewer, "directory")
        for url in (
            reverse("accounts:consent_give"),
            reverse("accounts:consent_withdraw", args=[consent.pk]),
        ):
            assert client.post(url).url.startswith(reverse("accounts:login"))
        client.force_login(cast.viewer)
        assert client.get(reverse("accounts:consent_give")).status_code == 405
        url = reverse("accounts:consent_withdraw", args=[consent.pk])
        assert client.get(url).status_code == 405


class TestErasure:
    def test_a_wrong_password_erases_nothing(self, client, cast, lives):
        client.force_login(cast.toscana_officer)
        response = client.post(reverse("accounts:erase"), {"password": "no", "confirm": "on"})
        assert response.status_code == 200
        assert "La password non è corretta." in response.content.decode()
        cast.toscana_officer.refresh_from_db()
        assert cast.toscana_officer.is_active and cast.toscana_officer.username == "toscana"
        assert not Erasure.objects.exists()

    def test_the_confirmation_box_is_required(self, client, cast):
        client.force_login(cast.outsider)
        client.post(reverse("accounts:erase"), {"password": PASSWORD})
        cast.outsider.refresh_from_db()
        assert cast.outsider.is_active

    def test_erasure_removes_what_it_may_and_keeps_the_rest_under_a_pseudonym(
        self, client, cast, lives, mailoutbox, django_capture_on_commit_callbacks
    ):
        mine, theirs = lives
        user = cast.toscana_officer
        address = user.email
        JoinRequest.objects.create(
            user=user,
            organisation=cast.lazio,
            role="viewer",
            message="Vorrei aderire",
            language="it",
        )
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"}
            )
        assert response.status_code == 200
        page = response.content.decode()
        assert SESSION_KEY not in client.session  # signed out

        user.refresh_from_db()
        erasure = Erasure.objects.get(user=user)
        assert user.username == erasure.pseudonym == actions.pseudonym_of(user)
        assert erasure.pseudonym in page
        assert (user.first_name, user.last_name, user.email) == ("", "", "")
        assert not user.is_active and not user.has_usable_password()
        # Gone.
        assert not Membership.objects.filter(user=user).exists()
        assert not JoinRequest.objects.filter(user=user).exists()
        assert not JoinRequest.history.filter(user_id=user.pk, message="Vorrei aderire").exists()
        assert not SignInEvent.objects.filter(user=user).exists()
        registration = Registration.objects.get(pk=mine["registration"].pk)
        assert (registration.name, registration.email) == ("—", "")
        assert not Registration.history.filter(email="toscana@x.org").exists()
        assert not Post.objects.filter(body__contains="toscana").exists()
        assert not Post.history.filter(body__contains="toscana").exists()
        # Kept, pointing to the pseudonym.
        assert Application.objects.get(pk=mine["application"].pk).created_by == user
        assert RepresentationClaim.objects.filter(user=user).exists()
        assert Assessment.objects.get(pk=mine["assessment"].pk).evaluator == user
        assert not Consent.objects.get(user=user).is_current
        kept = {item["what"] for item in erasure.report["outcomes"] if item["kept"]}
        assert {"Domande di contributo", "Valutazioni scritte", "Consensi (revocati)"} <= kept
        assert "Le domande di contributo e i pagamenti" in page
        assert erasure.history.get().history_change_reason == actions.DATA_ERASED
        # Told by e-mail, at the address the account had.
        assert len(mailoutbox) == 1 and mailoutbox[0].to == [address]
        assert "Domande di contributo: 1" in mailoutbox[0].body
        assert "Reg. UE 2021/1060" in mailoutbox[0].body
        # The other person's records are untouched.
        other = Registration.objects.get(pk=theirs["registration"].pk)
        assert other.name == "Nome lazio"
        assert Post.objects.filter(body__contains="lazio").exists()
        assert Membership.objects.filter(user=cast.lazio_officer).exists()

    def test_the_pseudonym_is_stable_and_not_the_name(self, cast):
        first = actions.pseudonym_of(cast.outsider)
        assert first == actions.pseudonym_of(cast.outsider)
        assert first != actions.pseudonym_of(cast.viewer)
        assert "outsider" not in first

    def test_staff_cannot_erase_themselves(self, client, cast):
        client.force_login(cast.staff)
        assert client.get(reverse("accounts:erase")).status_code == 403
        response = client.post(reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 403
        cast.staff.refresh_from_db()
        assert cast.staff.is_active

    def test_anonymous_and_wrong_method(self, client, cast):
        response = client.get(reverse("accounts:erase"))
        assert response.url.startswith(reverse("accounts:login"))
        client.force_login(cast.outsider)
        assert client.get(reverse("accounts:erase")).status_code == 200
        assert client.delete(reverse("accounts:erase")).status_code == 405
