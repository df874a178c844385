"""EXPECTATIONS: for every URL pattern, what each persona gets for GET and for a write.

Keys are the namespaced URL names that ``urlconf.url_routes`` finds (``route:<pattern>`` for an
unnamed pattern). A pattern may have several cases, each filling its URL arguments differently
(the centre's unshared record, the force's own record, ...). ``write`` is the expectation for an
empty POST (or ``method``) to the URL; ``None`` means the view takes no writes, so every persona
must be refused. A new URL with no entry here fails tests/test_permission_matrix.py: add one,
working out who should get in from issue 3 and umbrella/accounts/policy.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.matrix.fixtures import MatrixWorld
from tests.matrix.outcomes import PERSONAS, Outcome

OK = Outcome.OK
LOGIN = Outcome.LOGIN
INVALID = Outcome.INVALID
UNAUTHORISED = Outcome.UNAUTHORISED
FORBIDDEN = Outcome.FORBIDDEN
NOT_FOUND = Outcome.NOT_FOUND
NOT_ALLOWED = Outcome.NOT_ALLOWED
ACCEPTED = Outcome.ACCEPTED
REFUSED = Outcome.REFUSED

Kwargs = Callable[[MatrixWorld], dict[str, Any]]

# Who is who, per umbrella/accounts/policy.py.
WRITERS = ("officer", "hub_reviewer", "caseworker", "other_caseworker", "outsider", "supervisor")
NON_WRITERS = ("analyst", "scrutiny_member", "org_admin", "system_admin")
READERS = (*WRITERS, "analyst")  # can_read_records
EXPORTERS = ("officer", "hub_reviewer", "analyst", "outsider", "supervisor")
# Who may see each record: the centre's record is shared with nobody.
CENTRE_RECORD_READERS = ("caseworker",)
FORCE_RECORD_READERS = ("officer", "hub_reviewer", "analyst", "supervisor")


def no_kwargs(_: MatrixWorld) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Expect:
    get: Mapping[str, Outcome]
    write: Mapping[str, Outcome] | None = None
    kwargs: Kwargs = no_kwargs
    # For patterns that cannot be reversed into a useful address (the API catch-all).
    path: Callable[[MatrixWorld], str] | None = None
    method: str = "post"
    # Personas whose successful GET must show the centre's record (its reference).
    reveals: frozenset[str] = field(default_factory=frozenset)
    # Parts of the centre's record (see MatrixWorld.secrets_of_centre_record) that a persona other
    # than its caseworker may see here; by default none.
    may_see: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Run before the requests, e.g. to share the centre's record.
    arrange: Callable[[MatrixWorld], None] | None = None


def every(default: Outcome, *, anonymous: Outcome = LOGIN, **overrides: Outcome) -> dict[str, Outcome]:
    """``default`` for every signed-in persona, ``anonymous`` for the signed-out visitor."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"no such persona: {unknown}"
    return {persona: overrides.get(persona, anonymous if persona == "anonymous" else default) for persona in PERSONAS}


def only(allowed: tuple[str, ...], outcome: Outcome, *, others: Outcome, anonymous: Outcome = LOGIN,
         **overrides: Outcome) -> dict[str, Outcome]:
    return every(others, anonymous=anonymous, **{**{persona: outcome for persona in allowed}, **overrides})


def record(which: str, **extra: Callable[[MatrixWorld], Any]) -> Kwargs:
    """The record's id under each name the URLconf uses for it; each URL takes the names it has."""

    def fill(m: MatrixWorld) -> dict[str, Any]:
        chosen = m.centre_record if which == "centre" else m.force_record
        return {"record_id": chosen.pk, "pk": chosen.pk, **{name: value(m) for name, value in extra.items()}}

    return fill


def readers_of(which: str) -> tuple[str, ...]:
    return CENTRE_RECORD_READERS if which == "centre" else FORCE_RECORD_READERS


def writers_of(which: str) -> tuple[str, ...]:
    return tuple(persona for persona in readers_of(which) if persona in WRITERS)


# ---------------------------------------------------------------------------
# Record pages (web): writers' pages check the role first (403), then scope (404).
# ---------------------------------------------------------------------------


def web_record_read(which: str) -> Expect:
    return Expect(
        get=only(readers_of(which), OK, others=NOT_FOUND),
        kwargs=record(which),
        reveals=frozenset(readers_of(which)) if which == "centre" else frozenset(),
    )


def web_record_write(which: str, **extra: Callable[[MatrixWorld], Any]) -> Expect:
    refused_roles = dict.fromkeys(NON_WRITERS, FORBIDDEN)
    return Expect(
        get=only(writers_of(which), OK, others=NOT_FOUND, **refused_roles),
        write=only(writers_of(which), ACCEPTED, others=NOT_FOUND, **refused_roles),
        kwargs=record(which, **extra),
    )


def strand_removal(base: Expect, which: str, *, page: bool) -> Expect:
    """Removing a strand: as any write, then only its adder (the record's creator here) or a
    supervisor; other writers who can see the record are refused (403), the perception stays.
    On the API, GET stays 405 for everyone."""
    removers = ("caseworker",) if which == "centre" else ("officer", "supervisor")
    refused = {p: FORBIDDEN for p in writers_of(which) if p not in removers}
    assert base.write is not None
    return Expect(
        get={**base.get, **refused} if page else base.get,
        write={**base.write, **refused}, method=base.method, kwargs=base.kwargs,
    )


def both_records(make: Callable[..., Expect], **extra: Callable[[MatrixWorld], Any]) -> dict[str, Expect]:
    return {"centre record": make("centre", **extra), "force record": make("force", **extra)}


def strand_of(which: str) -> Callable[[MatrixWorld], int]:
    return (lambda m: m.centre_strand.pk) if which == "centre" else (lambda m: m.force_strand.pk)


# The centre's record shared, anonymised, with the force: the force's readers see the incident
# (reference and narrative) but no person's identity; a share is for reading, never for changing.
SHARED_PARTS = frozenset({"reference", "narrative"})
SHARE_READERS = ("caseworker", *FORCE_RECORD_READERS)
SHARE_WRITERS = tuple(persona for persona in FORCE_RECORD_READERS if persona in WRITERS)


def share_anonymised(m: MatrixWorld) -> None:
    m.share_centre_record_with_force("anonymised")


def shared_read(base: Expect) -> Expect:
    return Expect(
        get=only(SHARE_READERS, OK, others=NOT_FOUND, anonymous=base.get["anonymous"]),
        write=base.write and {**base.write, **dict.fromkeys(SHARE_WRITERS, FORBIDDEN)},
        method=base.method,
        kwargs=record("centre"),
        reveals=frozenset(SHARE_READERS),
        may_see=dict.fromkeys(FORCE_RECORD_READERS, SHARED_PARTS),
        arrange=share_anonymised,
    )


def shared_write(base: Expect) -> Expect:
    # The recipient's writers are refused (403: they can see the record, so 404 would be a lie).
    forbidden = dict.fromkeys(SHARE_WRITERS, FORBIDDEN)
    assert base.write is not None
    return Expect(
        get={**base.get, **forbidden},
        write={**base.write, **forbidden},
        method=base.method,
        kwargs=base.kwargs,
        may_see=dict.fromkeys(FORCE_RECORD_READERS, SHARED_PARTS),
        arrange=share_anonymised,
    )


# ---------------------------------------------------------------------------
# Record endpoints (API): 401 signed out; writes check the role (403), then scope (404).
# ---------------------------------------------------------------------------


def api_record_write(which: str, *, method: str = "post", strand: bool = False) -> Expect:
    # As on the pages: a role that can never write is refused (403) before the record is looked
    # up, so the answer reveals nothing, and an empty body never reaches validation; then scope.
    extra = {"strand_id": strand_of(which)} if strand else {}
    return Expect(
        get=every(NOT_ALLOWED, anonymous=UNAUTHORISED),
        write=only(writers_of(which), ACCEPTED, others=NOT_FOUND, anonymous=UNAUTHORISED,
                   **dict.fromkeys(NON_WRITERS, FORBIDDEN)),
        method=method,
        kwargs=record(which, **extra),
    )


def api_record_detail(which: str) -> Expect:
    expect = api_record_write(which, method="patch")
    return Expect(
        get=only(readers_of(which), OK, others=NOT_FOUND, anonymous=UNAUTHORISED),
        write=expect.write,
        method="patch",
        kwargs=expect.kwargs,
        reveals=frozenset(readers_of(which)) if which == "centre" else frozenset(),
    )


# ---------------------------------------------------------------------------
# Administration (/manage/, /reference-data/): 404 for everyone who administers nothing.
# ---------------------------------------------------------------------------


def admin_page(admins: tuple[str, ...], *, kwargs: Kwargs = no_kwargs, writes: bool = True) -> Expect:
    return Expect(
        get=only(admins, OK, others=NOT_FOUND),
        write=only(admins, ACCEPTED, others=NOT_FOUND) if writes else None,
        kwargs=kwargs,
    )


def reference_read_page(kwargs: Kwargs = no_kwargs) -> Expect:
    # A read-only page answers a POST with 405, as every other read-only page does.
    return Expect(
        get=only(("system_admin",), OK, others=NOT_FOUND),
        write=only(("system_admin",), NOT_ALLOWED, others=NOT_FOUND),
        kwargs=kwargs,
    )


def organisation(which: str) -> Kwargs:
    return lambda m: {"organisation_id": (m.world.centre if which == "centre" else m.world.force).pk}


def user(which: str) -> Kwargs:
    return lambda m: {"user_id": (m.world.caseworker if which == "centre" else m.world.officer).pk}


def team(which: str) -> Kwargs:
    return lambda m: {"team_id": (m.centre_team if which == "centre" else m.force_team).pk}


SYSTEM_ADMIN = ("system_admin",)
ANY_ADMIN = ("org_admin", "system_admin")  # the org admin is the force's


def _managed(admins_for: dict[str, tuple[str, ...]], kwargs: Callable[[str], Kwargs], *, writes: bool) -> dict[str, Expect]:
    return {
        f"{which}'s": admin_page(admins, kwargs=kwargs(which), writes=writes)
        for which, admins in admins_for.items()
    }


MANAGED = {"centre": SYSTEM_ADMIN, "force": ANY_ADMIN}


def _scheme(m: MatrixWorld) -> dict[str, Any]:
    return {"scheme": "strand"}


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    # --- accounts -----------------------------------------------------------
    "accounts:sign-in": {"": Expect(get=every(OK, anonymous=OK), write=every(ACCEPTED, anonymous=ACCEPTED))},
    # Signing out is a POST that ends on the sign-in page, for whoever sends it.
    "accounts:sign-out": {"": Expect(get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED), write=every(LOGIN))},
    # The second step of signing in: without a password just given, back to the first.
    "accounts:two-factor": {"": Expect(get=every(LOGIN, anonymous=LOGIN), write=every(LOGIN, anonymous=LOGIN))},
    # Every signed-in person may set up two-factor sign-in for themselves (an empty code: 400).
    "accounts:two-factor-setup": {"": Expect(get=every(OK), write=every(ACCEPTED))},
    # Passkeys: the page for everyone signed in; the package's ceremony endpoints refuse everyone
    # here (403 JSON problem): adding needs two-factor sign-in given in this session, using one
    # needs a password just accepted (tests/accounts/test_passkeys.py goes through both).
    "accounts:passkeys": {"": Expect(get=every(OK), write=every(NOT_ALLOWED, anonymous=NOT_ALLOWED))},
    **{f"otp_webauthn:{name}": {"": Expect(get=every(FORBIDDEN, anonymous=FORBIDDEN), write=every(FORBIDDEN, anonymous=FORBIDDEN))}
       for name in ("credential-registration-begin", "credential-registration-complete",
                    "credential-authentication-begin", "credential-authentication-complete")},
    "otp_webauthn:js-i18n-catalog": {"": Expect(get=every(OK, anonymous=OK), write=every(NOT_ALLOWED, anonymous=NOT_ALLOWED))},
    # Single sign-on through a provider the matrix world does not have: not found, for anyone
    # (tests/accounts/test_single_sign_on.py signs in through a real one).
    "accounts:single-sign-on": {"": Expect(get=every(NOT_FOUND, anonymous=NOT_FOUND), write=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                                           kwargs=lambda m: {"slug": "no-such-provider"})},
    "accounts:single-sign-on-return": {"": Expect(get=every(NOT_FOUND, anonymous=NOT_FOUND),
                                                  write=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                                                  kwargs=lambda m: {"slug": "no-such-provider"})},
    # --- web ----------------------------------------------------------------
    "cases:home": {"": Expect(get=every(OK))},
    "cases:record-list": {"": Expect(get=only(READERS, OK, others=FORBIDDEN), reveals=frozenset(CENTRE_RECORD_READERS))},
    "cases:record-create": {"": Expect(
        get=only(WRITERS, OK, others=FORBIDDEN), write=only(WRITERS, ACCEPTED, others=FORBIDDEN)
    )},
    # Reference codes only (the htmx sub-category list): nothing personal, any signed-in user.
    "cases:sub-category-options": {"": Expect(get=every(OK))},
    "cases:record-detail": {
        **both_records(web_record_read),
        "centre record shared anonymised": shared_read(web_record_read("centre")),
    },
    "cases:record-edit": {
        **both_records(web_record_write),
        "centre record shared anonymised": shared_write(web_record_write("centre")),
    },
    "cases:record-status": both_records(web_record_write),
    "cases:record-add-strand": both_records(web_record_write),
    "cases:record-remove-strand": {
        "centre record": strand_removal(web_record_write("centre", strand_id=strand_of("centre")), "centre", page=True),
        "force record": strand_removal(web_record_write("force", strand_id=strand_of("force")), "force", page=True),
    },
    "cases:record-add-offence": both_records(web_record_write),
    "cases:record-add-person": both_records(web_record_write),
    "cases:record-link": both_records(web_record_write),
    # --- API ----------------------------------------------------------------
    "cases-api:record-list": {"": Expect(
        get=only(READERS, OK, others=FORBIDDEN, anonymous=UNAUTHORISED),
        write=only(WRITERS, ACCEPTED, others=FORBIDDEN, anonymous=UNAUTHORISED),
        reveals=frozenset(CENTRE_RECORD_READERS),
    )},
    "cases-api:record-detail": {
        **both_records(api_record_detail),
        "centre record shared anonymised": shared_read(api_record_detail("centre")),
    },
    "cases-api:record-status": both_records(api_record_write),
    "cases-api:record-strands": both_records(api_record_write),
    "cases-api:record-strand-remove": {
        "centre record": strand_removal(api_record_write("centre", method="delete", strand=True), "centre", page=False),
        "force record": strand_removal(api_record_write("force", method="delete", strand=True), "force", page=False),
    },
    "cases-api:record-offences": both_records(api_record_write),
    "cases-api:record-people": both_records(api_record_write),
    "cases-api:record-links": both_records(api_record_write),
    # Code lists only: any signed-in user.
    "reference-api:reference-schemes": {"": Expect(get=every(OK, anonymous=UNAUTHORISED))},
    "reference-api:reference-codes": {"": Expect(get=every(OK, anonymous=UNAUTHORISED), kwargs=_scheme)},
    # The OpenAPI schema describes endpoints, not data; it is public, like the sign-in page.
    "api:schema": {"": Expect(get=every(OK, anonymous=OK))},
    # The platform's probes: open to all, nobody's data on them.
    "health-live": {"": Expect(get=every(OK, anonymous=OK))},
    "health-ready": {"": Expect(get=every(OK, anonymous=OK))},
    # Any other address under /api/v1/ is a 404 problem for everyone, whatever the method.
    "api:not-found": {"": Expect(
        get=every(NOT_FOUND, anonymous=NOT_FOUND),
        write=every(NOT_FOUND, anonymous=NOT_FOUND),
        path=lambda m: "/api/v1/no-such-endpoint/",
    )},
    # --- audit search (supervisors and system administrators) ---------------
    # System administrators search every organisation's events ("who viewed this record?"), so
    # they see the reference of any record an event is about, but nothing from inside it.
    "audit_search:search": {"": Expect(
        get=only(("supervisor", "system_admin"), OK, others=NOT_FOUND),
        may_see={"system_admin": frozenset({"reference"})},
    )},
    # --- CSV export of the record list (EXPORTERS: partner caseworkers are not among them) ---
    "imports:records-csv": {"": Expect(get=only(EXPORTERS, OK, others=FORBIDDEN))},
    # --- reference data administration (system administrators only) --------
    "reference:schemes": {"": reference_read_page()},
    "reference:versions": {"": reference_read_page()},
    "reference:version": {"": reference_read_page(lambda m: {"number": m.version.number})},
    "reference:scheme": {"": reference_read_page(_scheme)},
    "reference:code-add": {"": admin_page(SYSTEM_ADMIN, kwargs=_scheme)},
    "reference:code-edit": {"": admin_page(SYSTEM_ADMIN, kwargs=lambda m: {"scheme": "strand", "pk": m.strand_code.pk})},
    "reference:code-retire": {"": admin_page(SYSTEM_ADMIN, kwargs=lambda m: {"scheme": "strand", "pk": m.strand_code.pk})},
    "reference:code-history": {"": reference_read_page(lambda m: {"scheme": "strand", "code": m.strand_code.code})},
    # --- organisations, teams and users (/manage/) --------------------------
    "administration:home": {"": admin_page(ANY_ADMIN, writes=False)},
    "administration:organisation-add": {"": admin_page(SYSTEM_ADMIN)},
    "administration:system-admin-add": {"": admin_page(SYSTEM_ADMIN)},
    "administration:organisation": _managed(MANAGED, organisation, writes=False),
    "administration:user-add": _managed(MANAGED, organisation, writes=True),
    "administration:team-add": _managed(MANAGED, organisation, writes=True),
    "administration:organisation-two-factor": _managed(MANAGED, organisation, writes=True),
    "administration:user-edit": _managed(MANAGED, user, writes=True),
    "administration:user-unlock": _managed(MANAGED, user, writes=True),
    "administration:user-password": _managed(MANAGED, user, writes=True),
    "administration:team-edit": _managed(MANAGED, team, writes=True),
}

# Served outside the URLconf (WhiteNoise answers before URL resolution), so listed here by hand.
# Stylesheets and scripts are public: the sign-in page needs them before anyone signs in.
NOT_IN_URLCONF: dict[str, dict[str, Expect]] = {
    "static files (WhiteNoise)": {"": Expect(
        get=every(OK, anonymous=OK),
        write=every(REFUSED, anonymous=REFUSED),
        path=lambda m: "/static/web/umbrella.css",
    )},
}

# Each later area (reporting, review, risk, ...) keeps its rows in tests/matrix/areas/<area>.py.
from tests.matrix.areas import area_expectations  # noqa: E402

_AREAS = area_expectations()
assert not set(_AREAS) & set(EXPECTATIONS), f"defined twice: {set(_AREAS) & set(EXPECTATIONS)}"
EXPECTATIONS.update(_AREAS)
