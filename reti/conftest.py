"""The cast of users every permission test uses, and the records they own (docs/testing.md)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.signals import user_logged_in

from reti.accounts import twofactor
from reti.accounts.models import Membership
from reti.registry.models import GoverningRole, Partnership
from reti.registry.tests import factories as f


@dataclass
class Cast:
    toscana: object  # Regione Toscana (organisation)
    lazio: object  # Regione Lazio (organisation)
    trento: object  # Provincia autonoma di Trento, secretariat of `network`
    network: object  # a network run by Trento's secretariat
    toscana_project: object  # a project led by Toscana, Lazio a partner
    lazio_project: object  # a project led by Lazio
    toscana_officer: object  # editor of Toscana
    lazio_officer: object  # editor of Lazio
    secretariat: object  # editor of Trento
    viewer: object  # viewer (read-only member) of Toscana
    staff: object
    outsider: object  # an account with no organisation


@pytest.fixture
def cast(db):
    toscana = f.OrganisationFactory(name_it="Regione Toscana (prova)")
    lazio = f.OrganisationFactory(name_it="Regione Lazio (prova)")
    trento = f.OrganisationFactory(name_it="Provincia autonoma di Trento (prova)")
    network = f.NetworkFactory(name_it="Rete di prova del cast")
    GoverningRole.objects.create(
        network=network, organisation=trento, role=GoverningRole.Role.SECRETARIAT
    )
    toscana_project = f.ProjectFactory(title_it="Progetto guidato dalla Toscana")
    Partnership.objects.create(
        project=toscana_project, organisation=toscana, role=Partnership.Role.LEAD
    )
    Partnership.objects.create(
        project=toscana_project, organisation=lazio, role=Partnership.Role.PARTNER
    )
    lazio_project = f.ProjectFactory(title_it="Progetto guidato dal Lazio")
    Partnership.objects.create(
        project=lazio_project, organisation=lazio, role=Partnership.Role.LEAD
    )
    return Cast(
        toscana=toscana,
        lazio=lazio,
        trento=trento,
        network=network,
        toscana_project=toscana_project,
        lazio_project=lazio_project,
        toscana_officer=f.MembershipFactory(organisation=toscana, user__username="toscana").user,
        lazio_officer=f.MembershipFactory(organisation=lazio, user__username="lazio").user,
        secretariat=f.MembershipFactory(organisation=trento, user__username="trento").user,
        viewer=f.MembershipFactory(
            organisation=toscana, user__username="viewer", role=Membership.Role.VIEWER
        ).user,
        staff=f.UserFactory(username="staff", is_staff=True),
        outsider=f.UserFactory(username="outsider"),
    )


# -- Second factor (reti/accounts/twofactor.py) ----------------------------------------------
# RETI_2FA_REQUIRED is on in tests as in production. So that the suite's tests of everything
# else sign staff and editors in as they always did, every sign-in made during a test (the
# client's `force_login` and `login`, a browser through the sign-in form) counts as having
# passed its second factor, unless the test asks for `second_factor_enforced`: the tests of
# the second factor itself do, and then sign in with a password only, as a person would.

_TEST_SECOND_FACTOR = "reti-test-second-factor"


def mark_second_factor(client) -> None:
    """Mark `client`'s current session as having passed its second factor (a code)."""
    session = client.session
    session[twofactor.SESSION_KEY] = "otp"
    session.save()


def _second_factor_on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[twofactor.SESSION_KEY] = "otp"


@pytest.fixture(autouse=True)
def _second_factor_given(request):
    if "second_factor_enforced" in request.fixturenames:
        yield
        return
    user_logged_in.connect(_second_factor_on_sign_in, dispatch_uid=_TEST_SECOND_FACTOR)
    yield
    user_logged_in.disconnect(dispatch_uid=_TEST_SECOND_FACTOR)


@pytest.fixture
def second_factor_enforced(settings):
    """Sign-ins in this test pass the password only; the second factor is required."""
    settings.RETI_2FA_REQUIRED = True
