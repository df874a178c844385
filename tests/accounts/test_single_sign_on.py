"""Single sign-on through an organisation's OpenID Connect provider (a provider the tests run on
this machine): someone signs in with their account there and lands in their own organisation with
the role the provider's claims give; nobody gets a role their organisation may not hold; tokens
that are forged, for someone else, stale or replayed are refused with a clear message and sign
nobody in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.conftest import World
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider, running
from umbrella.accounts.models import ExternalIdentity, IdentityProvider, Role, User
from umbrella.accounts.single_sign_on import identity_provider_save
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET_VARIABLE = "UMBRELLA_TEST_SSO_SECRET"
PEOPLE = {
    "met-0001": {"name": "Alex Officer", "given_name": "Alex", "family_name": "Officer", "email": "alex@met.example",
                 "email_verified": True, "preferred_username": "alex.officer", "groups": ["umbrella-officers"]},
    "met-0002": {"name": "Sam Canteen", "preferred_username": "sam", "groups": ["canteen"]},
    "met-0003": {"name": "Jo Admin", "preferred_username": "jo", "groups": ["umbrella-officers", "umbrella-admins"]},
}


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestProvider]:
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    with running(TestProvider(people={sub: dict(claims) for sub, claims in PEOPLE.items()})) as serving:
        yield serving


@pytest.fixture
def met_sign_in(world: World, provider: TestProvider) -> IdentityProvider:
    return identity_provider_save(
        actor=world.system_admin, organisation=world.force, slug="met", name="Met account", issuer=provider.issuer,
        client_id=CLIENT_ID, client_secret_variable=SECRET_VARIABLE, role_claim="groups",
        # In order of precedence: someone in both groups is an administrator.
        role_map={"umbrella-admins": Role.ORG_ADMIN, "umbrella-officers": Role.OFFICER},
    )


def sign_in_as(client: Client, provider: TestProvider, subject: str, *, slug: str = "met", start: str = "") -> Any:
    """Presses "Sign in with …", signs in at the provider as ``subject``, and follows it back."""
    to_provider = client.get(f"/accounts/single-sign-on/{slug}/{start}")
    assert to_provider.status_code == 302, to_provider.content
    params = {k: v[0] for k, v in parse_qs(urlsplit(to_provider["Location"]).query).items()}
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    back = requests.post(f"{provider.issuer}/authorize", data={**params, "subject": subject}, allow_redirects=False, timeout=5)
    url = urlsplit(back.headers["Location"])
    return client.get(f"{url.path}?{url.query}")


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_offers_the_organisations_provider(met_sign_in: IdentityProvider) -> None:
    page = Client().get("/accounts/sign-in/").content.decode()
    assert "Sign in with Met account" in page and 'href="/accounts/single-sign-on/met/"' in page


def test_a_first_sign_in_makes_an_account_in_the_providers_organisation_and_the_next_uses_it(
    world: World, provider: TestProvider, met_sign_in: IdentityProvider
) -> None:
    client = Client()
    landed = sign_in_as(client, provider, "met-0001")
    assert landed.status_code == 302 and landed["Location"] == "/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.organisation, user.role, user.get_full_name(), user.email) == (world.force, Role.OFFICER, "Alex Officer", "alex@met.example")
    assert user.username == "met.alex.officer" and not user.has_usable_password()
    assert "Signed in as" in client.get("/").content.decode()
    recorded = list(AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", "changes"))
    assert (actions.USER_CREATE, {"username": "met.alex.officer", "role": "officer", "organisation": "mps",
                                  "via": "single sign-on (met)"}) in recorded
    assert (actions.USER_SIGN_IN, {"via": "single sign-on", "provider": "met"}) in recorded

    again = Client()
    sign_in_as(again, provider, "met-0001")
    assert signed_in_user(again) == user
    assert User.objects.filter(username__startswith="met.").count() == 1
    assert ExternalIdentity.objects.get(provider=met_sign_in).user == user


def test_the_role_follows_the_providers_claims_at_every_sign_in(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    sign_in_as(Client(), provider, "met-0003")
    admin = User.objects.get(username="met.jo")
    assert admin.role == Role.ORG_ADMIN  # the first group of the map that the claims hold

    provider.people["met-0003"]["groups"] = ["umbrella-officers"]
    sign_in_as(Client(), provider, "met-0003")
    admin.refresh_from_db()
    assert admin.role == Role.OFFICER
    assert AuditEvent.objects.filter(action=actions.USER_UPDATE, target_id=str(admin.pk),
                                     changes__role=["org_admin", "officer"]).exists()

    provider.people["met-0003"]["groups"] = []
    client = Client()
    refused = sign_in_as(client, provider, "met-0003")
    assert refused.status_code == 400 and signed_in_user(client) is None
    assert "does not give you a role in this service" in refused.content.decode()


def test_someone_the_map_gives_no_role_is_refused_and_gets_no_account(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    client = Client()
    refused = sign_in_as(client, provider, "met-0002")
    page = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in page and 'href="#single-sign-on"' in page
    assert "Your Met account does not give you a role in this service" in page
    assert signed_in_user(client) is None and not User.objects.filter(username__startswith="met.").exists()
    assert AuditEvent.objects.filter(action=actions.USER_SINGLE_SIGN_ON_REFUSED, changes__reason="no role").exists()


def test_without_account_creation_only_existing_links_sign_in(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    met_sign_in.creates_accounts = False
    met_sign_in.save()
    refused = sign_in_as(Client(), provider, "met-0001")
    assert "You do not have an account in this service yet" in refused.content.decode()
    assert not User.objects.filter(username__startswith="met.").exists()


@pytest.mark.parametrize("misbehaviour", [
    {"sign_with_other_key": True}, {"issuer_claim": "https://impostor.example"}, {"audience": "another-client"},
    {"nonce": "an-old-nonce"}, {"expired": True},
], ids=["forged-signature", "wrong-issuer", "someone-elses-token", "replayed-nonce", "expired"])
def test_a_token_that_fails_a_check_signs_nobody_in(
    provider: TestProvider, met_sign_in: IdentityProvider, misbehaviour: dict[str, Any]
) -> None:
    for name, value in misbehaviour.items():
        setattr(provider, name, value)
    client = Client()
    refused = sign_in_as(client, provider, "met-0001")
    assert refused.status_code == 400 and provider.tokens_issued == 1
    assert "Met account could not be reached, or did not answer as expected" in refused.content.decode()
    assert signed_in_user(client) is None and not User.objects.filter(username__startswith="met.").exists()


def test_a_return_that_this_browser_did_not_start_is_refused(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    started = Client().get("/accounts/single-sign-on/met/")
    params = {k: v[0] for k, v in parse_qs(urlsplit(started["Location"]).query).items()}
    back = requests.post(f"{provider.issuer}/authorize", data={**params, "subject": "met-0001"}, allow_redirects=False, timeout=5)
    url = urlsplit(back.headers["Location"])
    other_browser = Client()
    refused = other_browser.get(f"{url.path}?{url.query}")
    assert refused.status_code == 400 and "Start again" in refused.content.decode()
    assert signed_in_user(other_browser) is None and provider.tokens_issued == 0


def test_a_closed_account_is_refused(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    sign_in_as(Client(), provider, "met-0001")
    User.objects.filter(username="met.alex.officer").update(is_active=False)
    client = Client()
    refused = sign_in_as(client, provider, "met-0001")
    assert "Your account in this service is closed" in refused.content.decode() and signed_in_user(client) is None


def test_an_account_made_by_single_sign_on_has_no_password_to_sign_in_with(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    sign_in_as(Client(), provider, "met-0001")
    for password in ("", "!", "met.alex.officer"):
        refused = Client().post("/accounts/sign-in/", {"username": "met.alex.officer", "password": password})
        assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session


def test_where_the_person_was_going_is_kept(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    assert sign_in_as(Client(), provider, "met-0001", start="?next=/records/")["Location"] == "/records/"
    assert sign_in_as(Client(), provider, "met-0001", start="?next=https://elsewhere.example/")["Location"] == "/"


def test_two_factor_is_asked_unless_the_provider_asks_for_it_itself(provider: TestProvider, met_sign_in: IdentityProvider) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sign_in_as(Client(), provider, "met-0001")
    TOTPDevice.objects.create(user=User.objects.get(username="met.alex.officer"), name="app", confirmed=True)
    client = Client()
    assert sign_in_as(client, provider, "met-0001")["Location"] == "/accounts/two-factor/"
    assert signed_in_user(client) is None

    met_sign_in.assures_two_factor = True
    met_sign_in.save()
    client = Client()
    assert sign_in_as(client, provider, "met-0001")["Location"] == "/" and signed_in_user(client) is not None


def test_a_provider_whose_secret_is_not_in_the_environment_says_so(
    monkeypatch: pytest.MonkeyPatch, met_sign_in: IdentityProvider
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE)
    page = Client().get("/accounts/single-sign-on/met/")
    assert page.status_code == 400 and "Signing in with Met account is not ready on this service yet" in page.content.decode()


def test_an_unreachable_provider_is_reported_not_raised(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, "x")
    with running(TestProvider(people={})) as gone:
        issuer = gone.issuer
    identity_provider_save(actor=world.system_admin, organisation=world.force, slug="met", name="Met account",
                           issuer=issuer, client_id=CLIENT_ID, client_secret_variable=SECRET_VARIABLE,
                           role_map={"x": Role.OFFICER})
    page = Client().get("/accounts/single-sign-on/met/")
    assert page.status_code == 400 and "Met account could not be reached" in page.content.decode()


def test_an_inactive_or_unknown_provider_is_not_found(met_sign_in: IdentityProvider) -> None:
    met_sign_in.active = False
    met_sign_in.save()
    assert Client().get("/accounts/single-sign-on/met/").status_code == 404
    assert Client().get("/accounts/single-sign-on/nobody/").status_code == 404
    assert "Sign in with Met account" not in Client().get("/accounts/sign-in/").content.decode()


def test_only_the_organisations_administrators_set_up_its_provider_and_only_with_its_roles(world: World) -> None:
    settings = dict(slug="tell-us", name="Centre account", issuer="https://id.tell-us.example",
                    client_id="umbrella", client_secret_variable="TELL_US_SECRET")
    with pytest.raises(PermissionDenied):
        identity_provider_save(actor=world.org_admin, organisation=world.centre, role_map={"staff": Role.PARTNER_CASEWORKER}, **settings)
    with pytest.raises(ValidationError) as police_role:
        identity_provider_save(actor=world.system_admin, organisation=world.centre, role_map={"staff": Role.OFFICER}, **settings)
    assert "choose a role a third-party reporting centre holds" in str(police_role.value)
    with pytest.raises(ValidationError) as everything:
        identity_provider_save(actor=world.system_admin, organisation=world.centre, role_map={"it": Role.SYSTEM_ADMIN}, **settings)
    assert "role_map" in everything.value.message_dict
    with pytest.raises(ValidationError) as insecure:
        identity_provider_save(actor=world.system_admin, organisation=world.centre, role_map={"staff": Role.PARTNER_CASEWORKER},
                               **{**settings, "issuer": "http://id.tell-us.example", "client_secret_variable": "a secret"})
    assert set(insecure.value.message_dict) == {"issuer", "client_secret_variable"}
    made = identity_provider_save(actor=world.system_admin, organisation=world.centre, role_map={"staff": Role.PARTNER_CASEWORKER}, **settings)
    assert AuditEvent.objects.filter(action=actions.IDENTITY_PROVIDER_SAVE, target_id=str(made.pk)).exists()
    with pytest.raises(ValidationError) as taken:
        identity_provider_save(actor=world.system_admin, organisation=world.force, role_map={"x": Role.OFFICER}, **settings)
    assert "Another organisation's provider has this short name" in str(taken.value)


def test_the_command_sets_up_a_provider_and_explains_bad_input(world: World) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    args = ["add", "--organisation", "mps", "--slug", "met", "--name", "Met account", "--issuer", "https://login.met.example",
            "--client-id", "umbrella", "--secret-variable", "MET_SECRET", "--role-claim", "groups",
            "--as", world.system_admin.username]
    out = StringIO()
    call_command("single_sign_on", *args, "--role", "umbrella-admins=org_admin", "--role", "umbrella-officers=officer", stdout=out)
    assert "Register /accounts/single-sign-on/met/return/" in out.getvalue() and "MET_SECRET" in out.getvalue()
    made = IdentityProvider.objects.get(slug="met")
    assert list(made.role_map.items()) == [("umbrella-admins", "org_admin"), ("umbrella-officers", "officer")]
    with pytest.raises(CommandError, match="give it as VALUE=ROLE"):
        call_command("single_sign_on", *args, "--role", "officer")
    with pytest.raises(CommandError, match="role_map: 'x' cannot give the role 'partner_caseworker'"):
        call_command("single_sign_on", *args, "--role", "x=partner_caseworker")
    listed = StringIO()
    call_command("single_sign_on", "list", stdout=listed)
    assert listed.getvalue().startswith("met\tmps\tMet account\thttps://login.met.example\toffered")
