"""Writing through /api/v1 with tokens: the cast's permissions, bad input, the audit trail."""

import pytest
from django.urls import reverse

from reti.accounts.models import ApiToken
from reti.registry.models import (
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    WorkingGroup,
)
from reti.registry.tests import factories as f
from reti.registry.tests.api_fixtures import send

pytestmark = pytest.mark.django_db

# A valid partita IVA (Luhn check digit) and the same number with a wrong check digit.
VALID_VAT = "01114601006"
BAD_VAT = "01114601007"
VALID_CF = "RSSMRA85T10A562S"  # fictitious person code with a valid check character
BAD_CF = "RSSMRA85T10A562X"


def fields(response) -> list:
    return [error["field"] for error in response.json()["detail"]]


# Projects: the issue's example of a wrong region


def project_url(project):
    return reverse("api:project_detail", args=[project.pk])


def test_lead_region_editor_updates_its_project_and_the_audit_trail_names_them(client, cast):
    response = send(
        client,
        "patch",
        project_url(cast.toscana_project),
        {"title_en": "Led by Tuscany"},
        cast.toscana_officer,
    )

    assert response.status_code == 200
    assert response.json()["title_en"] == "Led by Tuscany"
    cast.toscana_project.refresh_from_db()
    assert cast.toscana_project.title_en == "Led by Tuscany"
    last = cast.toscana_project.history.latest()
    assert last.history_user == cast.toscana_officer
    assert last.history_change_reason == "api"
    assert last.history_type == "~"


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "outsider", "secretariat"])
def test_others_may_not_update_a_project_and_nothing_changes(client, cast, who):
    before = cast.toscana_project.history.count()

    response = send(
        client,
        "patch",
        project_url(cast.toscana_project),
        {"title_it": "Preso"},
        getattr(cast, who),
    )

    assert response.status_code == 403
    assert response.json()["detail"]
    cast.toscana_project.refresh_from_db()
    assert cast.toscana_project.title_it == "Progetto guidato dalla Toscana"
    assert cast.toscana_project.history.count() == before


def test_wrong_region_gets_403_even_with_bad_input(client, cast):
    response = send(
        client,
        "patch",
        project_url(cast.toscana_project),
        {"period": "1800-1801", "end_date": "2000-01-01", "start_date": "2001-01-01"},
        cast.lazio_officer,
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer reti_not-a-key"}, {"Authorization": "Token whatever"}],
)
def test_anonymous_or_bad_token_writes_are_401(client, cast, headers):
    response = client.patch(
        project_url(cast.toscana_project),
        data={"title_it": "Anonimo"},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    cast.toscana_project.refresh_from_db()
    assert cast.toscana_project.title_it == "Progetto guidato dalla Toscana"


def test_revoked_token_is_refused(client, cast):
    token, key = ApiToken.objects.issue(cast.staff, "old")
    token.revoked_at = token.created_at
    token.save()

    response = client.delete(
        project_url(cast.toscana_project), headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 401
    assert Project.objects.filter(pk=cast.toscana_project.pk).exists()


def test_staff_updates_any_project(client, cast):
    response = send(
        client, "patch", project_url(cast.lazio_project), {"status": "completed"}, cast.staff
    )

    assert response.status_code == 200
    assert Project.objects.get(pk=cast.lazio_project.pk).status == "completed"


def test_end_before_start_names_end_date_and_saves_nothing(client, cast):
    response = send(
        client,
        "patch",
        project_url(cast.toscana_project),
        {"title_it": "Nuovo titolo", "start_date": "2012-01-01", "end_date": "2011-01-01"},
        cast.toscana_officer,
    )

    assert response.status_code == 400
    assert fields(response) == ["end_date"]
    cast.toscana_project.refresh_from_db()
    assert cast.toscana_project.title_it == "Progetto guidato dalla Toscana"


def test_patch_resolves_codes_and_refuses_unknown_ones(client, cast):
    theme = f.ThemeFactory(code="inclusione")
    network = f.NetworkFactory()
    f.PeriodFactory(code="2021-2027", start_year=2021, end_year=2027)
    url = project_url(cast.toscana_project)
    user = cast.toscana_officer

    ok = send(
        client,
        "patch",
        url,
        {"period": "2021-2027", "themes": ["inclusione"], "networks": [network.pk]},
        user,
    )
    bad_period = send(client, "patch", url, {"period": "1800-1801"}, user)
    bad_theme = send(client, "patch", url, {"themes": ["inclusione", "nessuno"]}, user)
    bad_network = send(client, "patch", url, {"networks": [999999]}, user)
    bad_kind = send(client, "patch", url, {"kind": "bogus"}, user)

    assert ok.status_code == 200
    assert ok.json()["period"] == "2021-2027"
    assert [t["code"] for t in ok.json()["themes"]] == [theme.code]
    assert [n["id"] for n in ok.json()["networks"]] == [network.pk]
    assert (bad_period.status_code, fields(bad_period)) == (400, ["period"])
    assert (bad_theme.status_code, fields(bad_theme)) == (400, ["themes"])
    assert (bad_network.status_code, fields(bad_network)) == (400, ["networks"])
    assert (bad_kind.status_code, fields(bad_kind)) == (400, ["kind"])


def test_unknown_body_field_is_refused_not_ignored(client, cast):
    response = send(
        client, "patch", project_url(cast.toscana_project), {"titel_it": "Refuso"}, cast.staff
    )
    lead_on_patch = send(
        client, "patch", project_url(cast.toscana_project), {"lead": cast.lazio.pk}, cast.staff
    )

    assert (response.status_code, fields(response)) == (400, ["titel_it"])
    assert (lead_on_patch.status_code, fields(lead_on_patch)) == (400, ["lead"])


def test_editor_creates_a_project_led_by_their_region(client, cast):
    body = {
        "title_it": "Nuovo progetto",
        "kind": "interregional",
        "status": "planned",
        "period": "2007-2013",
        "lead": cast.toscana.pk,
    }

    created = send(client, "post", reverse("api:project_list"), body, cast.toscana_officer)
    for_lazio = send(
        client,
        "post",
        reverse("api:project_list"),
        {**body, "lead": cast.lazio.pk},
        cast.toscana_officer,
    )
    without_lead = send(
        client, "post", reverse("api:project_list"), {**body, "lead": None}, cast.toscana_officer
    )
    anonymous = send(client, "post", reverse("api:project_list"), body)

    assert created.status_code == 201
    assert [(p["organisation"]["id"], p["role"]) for p in created.json()["partners"]] == [
        (cast.toscana.pk, "lead")
    ]
    assert created.json()["provenance"]["synthetic"] is False
    project = Project.objects.get(pk=created.json()["id"])
    assert project.history.get().history_user == cast.toscana_officer
    assert for_lazio.status_code == 403
    assert without_lead.status_code == 403
    assert anonymous.status_code == 401
    assert Project.objects.filter(title_it="Nuovo progetto").count() == 1


def test_missing_required_field_is_named(client, cast):
    response = send(
        client, "post", reverse("api:project_list"), {"title_it": "Senza tipo"}, cast.staff
    )

    assert response.status_code == 400
    assert {"kind", "status", "period"} <= set(fields(response))


def test_delete_project(client, cast):
    refused = send(client, "delete", project_url(cast.toscana_project), user=cast.lazio_officer)
    deleted = send(client, "delete", project_url(cast.toscana_project), user=cast.toscana_officer)
    again = send(client, "delete", project_url(cast.toscana_project), user=cast.toscana_officer)

    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert again.status_code == 404
    assert not Project.objects.filter(pk=cast.toscana_project.pk).exists()
    last = Project.history.filter(id=cast.toscana_project.pk).latest()
    assert (last.history_type, last.history_user) == ("-", cast.toscana_officer)


# Organisations


def org_body(**extra):
    return {"name_it": "Cooperativa di prova", "kind": "social_coop_b", **extra}


def test_staff_registers_an_organisation_with_territory_code(client, cast):
    territory = f.TerritoryFactory(code="048017", level="municipality", name_it="Firenze")

    response = send(
        client,
        "post",
        reverse("api:organisation_list"),
        org_body(territory="048017", vat_number=VALID_VAT, runts_section="impresa_sociale"),
        cast.staff,
    )

    assert response.status_code == 201
    assert response.json()["territory"]["code"] == territory.code
    assert response.json()["vat_number"] == VALID_VAT
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.history.get().history_change_reason == "api"


@pytest.mark.parametrize("who", ["toscana_officer", "secretariat", "viewer", "outsider"])
def test_only_staff_registers_organisations(client, cast, who):
    response = send(
        client, "post", reverse("api:organisation_list"), org_body(), getattr(cast, who)
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(name_it="Cooperativa di prova").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"vat_number": BAD_VAT}, "vat_number"),
        ({"tax_code": BAD_CF}, "tax_code"),
        ({"tax_code": "123"}, "tax_code"),
        ({"territory": "XX9"}, "territory"),
        ({"parent": 999999}, "parent"),
        ({"kind": "club"}, "kind"),
        ({"website": "not a url"}, "website"),
        ({"name_it": ""}, "name_it"),
        ({"kind": "company", "runts_section": "odv"}, "runts_section"),
    ],
)
def test_bad_organisation_input_names_the_field(client, cast, extra, field):
    response = send(client, "post", reverse("api:organisation_list"), org_body(**extra), cast.staff)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert not Organisation.objects.filter(kind="social_coop_b").exists()


def test_duplicate_tax_code_names_the_field(client, cast):
    f.OrganisationFactory(tax_code=VALID_CF)

    response = send(
        client,
        "post",
        reverse("api:organisation_list"),
        org_body(tax_code=VALID_CF.lower()),
        cast.staff,
    )

    assert response.status_code == 400
    assert fields(response) == ["tax_code"]


def test_region_editor_updates_its_own_organisation_only(client, cast):
    own = send(
        client,
        "patch",
        reverse("api:organisation_detail", args=[cast.toscana.pk]),
        {"website": "https://toscana.example.org"},
        cast.toscana_officer,
    )
    other = send(
        client,
        "patch",
        reverse("api:organisation_detail", args=[cast.lazio.pk]),
        {"website": "https://lazio.example.org"},
        cast.toscana_officer,
    )

    assert own.status_code == 200
    assert other.status_code == 403
    assert Organisation.objects.get(pk=cast.lazio.pk).website == ""


def test_deleting_an_organisation_still_referenced_is_a_409(client, cast):
    response = send(
        client,
        "delete",
        reverse("api:organisation_detail", args=[cast.lazio.pk]),
        user=cast.staff,
    )

    assert response.status_code == 409
    assert Organisation.objects.filter(pk=cast.lazio.pk).exists()


def test_only_staff_delete_organisations(client, cast):
    spare = f.OrganisationFactory()
    f.MembershipFactory(organisation=spare, user=cast.outsider)
    url = reverse("api:organisation_detail", args=[spare.pk])

    assert send(client, "delete", url, user=cast.outsider).status_code == 403
    assert send(client, "delete", url, user=cast.staff).status_code == 204
    assert not Organisation.objects.filter(pk=spare.pk).exists()


# Networks and what hangs from them: the secretariat's business


def test_secretariat_updates_its_network_others_may_not(client, cast):
    url = reverse("api:network_detail", args=[cast.network.pk])

    ok = send(client, "patch", url, {"status": "closed"}, cast.secretariat)
    refused = send(client, "patch", url, {"status": "starting"}, cast.toscana_officer)

    assert ok.status_code == 200
    assert refused.status_code == 403
    assert Network.objects.get(pk=cast.network.pk).status == "closed"


def test_only_staff_create_networks(client, cast):
    theme = f.ThemeFactory(code="rsi")
    body = {
        "slug": "rete-nuova",
        "name_it": "Rete nuova",
        "scope": "interregional",
        "status": "starting",
        "themes": [theme.code],
        "start_date": "2012-01-01",
    }

    refused = send(client, "post", reverse("api:network_list"), body, cast.secretariat)
    created = send(client, "post", reverse("api:network_list"), body, cast.staff)
    duplicate = send(client, "post", reverse("api:network_list"), body, cast.staff)
    backwards = send(
        client,
        "post",
        reverse("api:network_list"),
        {**body, "slug": "rete-2", "end_date": "2011-01-01"},
        cast.staff,
    )

    assert refused.status_code == 403
    assert created.status_code == 201
    assert [t["code"] for t in created.json()["themes"]] == ["rsi"]
    assert (duplicate.status_code, fields(duplicate)) == (400, ["slug"])
    assert (backwards.status_code, fields(backwards)) == (400, ["end_date"])


def test_governing_roles(client, cast):
    cast.network.start_date = "2008-01-01"
    cast.network.save()
    url = reverse("api:create_governingrole")
    body = {
        "network": cast.network.pk,
        "organisation": cast.toscana.pk,
        "role": "presidency",
        "start_date": "2012-01-01",
        "end_date": "2012-12-31",
    }

    refused = send(client, "post", url, body, cast.toscana_officer)
    created = send(client, "post", url, body, cast.secretariat)
    overlapping = send(
        client,
        "post",
        url,
        {**body, "organisation": cast.lazio.pk, "start_date": "2012-06-01"},
        cast.secretariat,
    )
    too_early = send(
        client,
        "post",
        url,
        {**body, "start_date": "2001-01-01", "end_date": "2001-12-31"},
        cast.secretariat,
    )

    assert refused.status_code == 403
    assert created.status_code == 201
    assert created.json()["network"]["id"] == cast.network.pk
    role = GoverningRole.objects.get(pk=created.json()["id"])
    assert role.history.get().history_user == cast.secretariat
    assert (overlapping.status_code, fields(overlapping)) == (400, ["start_date"])
    assert (too_early.status_code, fields(too_early)) == (400, ["start_date"])
    detail = reverse("api:governingrole_detail", args=[role.pk])
    assert (
        send(client, "patch", detail, {"end_date": "2012-11-30"}, cast.lazio_officer).status_code
        == 403
    )
    assert (
        send(client, "patch", detail, {"end_date": "2012-11-30"}, cast.secretariat).status_code
        == 200
    )
    assert send(client, "delete", detail, user=cast.secretariat).status_code == 204
    assert not GoverningRole.objects.filter(pk=role.pk).exists()


def test_working_groups(client, cast):
    url = reverse("api:working_group_list")
    body = {
        "network": cast.network.pk,
        "title_it": "Gruppo nuovo",
        "programme_year": 2012,
        "coordinator": cast.toscana.pk,
        "priorities_it": ["Prima", " ", "Seconda"],
    }

    refused = send(client, "post", url, body, cast.toscana_officer)
    created = send(client, "post", url, body, cast.secretariat)
    duplicate = send(client, "post", url, body, cast.secretariat)
    bad_coordinator = send(client, "post", url, {**body, "coordinator": 999999}, cast.secretariat)

    assert refused.status_code == 403
    assert created.status_code == 201
    assert created.json()["priorities_it"] == ["Prima", "Seconda"]
    assert created.json()["coordinator"]["id"] == cast.toscana.pk
    assert (duplicate.status_code, fields(duplicate)) == (400, ["title_it"])
    assert (bad_coordinator.status_code, fields(bad_coordinator)) == (400, ["coordinator"])
    detail = reverse("api:working_group_detail", args=[created.json()["id"]])
    changed = send(client, "patch", detail, {"programme_year": 2013}, cast.secretariat)
    assert changed.json()["programme_year"] == 2013
    assert send(client, "delete", detail, user=cast.lazio_officer).status_code == 403
    assert send(client, "delete", detail, user=cast.secretariat).status_code == 204
    assert not WorkingGroup.objects.exists()


def test_network_links(client, cast):
    other = f.NetworkFactory()
    url = reverse("api:create_networklink")
    body = {"from_network": cast.network.pk, "to_network": other.pk, "kind": "linked_to"}

    refused = send(client, "post", url, body, cast.toscana_officer)
    created = send(client, "post", url, body, cast.secretariat)
    duplicate = send(client, "post", url, body, cast.secretariat)
    to_itself = send(client, "post", url, {**body, "to_network": cast.network.pk}, cast.secretariat)
    unknown = send(client, "post", url, {**body, "to_network": 999999}, cast.secretariat)

    assert refused.status_code == 403
    assert created.status_code == 201
    assert created.json()["to_network"]["id"] == other.pk
    assert (duplicate.status_code, fields(duplicate)) == (400, ["to_network"])
    assert (to_itself.status_code, fields(to_itself)) == (400, ["to_network"])
    assert (unknown.status_code, fields(unknown)) == (400, ["to_network"])
    assert NetworkLink.objects.count() == 1


# Partnerships: the project lead's business


def test_partnerships(client, cast):
    coop = f.OrganisationFactory(kind="social_coop_a")
    url = reverse("api:create_partnership")
    body = {"project": cast.toscana_project.pk, "organisation": coop.pk, "role": "partner"}

    on_other_region = send(
        client, "post", url, {**body, "project": cast.lazio_project.pk}, cast.toscana_officer
    )
    viewer = send(client, "post", url, body, cast.viewer)
    created = send(client, "post", url, body, cast.toscana_officer)
    duplicate = send(client, "post", url, body, cast.toscana_officer)
    second_lead = send(
        client,
        "post",
        url,
        {**body, "organisation": f.OrganisationFactory().pk, "role": "lead"},
        cast.toscana_officer,
    )
    backwards = send(
        client,
        "post",
        url,
        {
            **body,
            "organisation": f.OrganisationFactory().pk,
            "start_date": "2012-01-01",
            "end_date": "2011-01-01",
        },
        cast.toscana_officer,
    )

    assert on_other_region.status_code == 403
    assert viewer.status_code == 403
    assert created.status_code == 201
    assert created.json()["project"]["id"] == cast.toscana_project.pk
    assert (duplicate.status_code, fields(duplicate)) == (400, ["organisation"])
    assert (second_lead.status_code, fields(second_lead)) == (400, ["role"])
    assert (backwards.status_code, fields(backwards)) == (400, ["end_date"])
    assert Partnership.objects.filter(project=cast.toscana_project).count() == 3
    detail = reverse("api:partnership_detail", args=[created.json()["id"]])
    moved = send(client, "patch", detail, {"project": cast.lazio_project.pk}, cast.toscana_officer)
    assert moved.status_code == 403
    assert Partnership.objects.get(pk=created.json()["id"]).project == cast.toscana_project
    assert send(client, "delete", detail, user=cast.toscana_officer).status_code == 204


@pytest.mark.parametrize(
    "name", ["project_detail", "organisation_detail", "network_detail", "partnership_detail"]
)
def test_writes_to_unknown_ids_are_404(client, cast, name):
    url = reverse(f"api:{name}", args=[999999])

    assert send(client, "patch", url, {}, cast.staff).status_code == 404
    assert send(client, "delete", url, user=cast.staff).json() == {"detail": "Not found."}
