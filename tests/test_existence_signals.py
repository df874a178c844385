"""No page or API answer changes when a record the persona may not see comes into existence.

For every persona who cannot see the centre's records, every URL the matrix says they may open is
fetched, then the centre records a hidden twin of the police record (the same victim by name,
phone, email and postcode, the same place, strand and day: everything the repeat-victim, duplicate
and hot-spot signals match on), and every URL is fetched again. The two answers must be the same
after masking what differs on every request (CSRF tokens). A count, a hint ("a repeat indicator
exists in records you cannot see"), a panel or an extra row would each show as a difference.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.factories import make_record, strand
from tests.matrix.expectations import CENTRE_RECORD_READERS
from tests.matrix.fixtures import MatrixWorld
from tests.matrix.outcomes import PERSONAS, Outcome
from tests.test_permission_matrix import CASES, STATIC_KEY, address_of, body_of
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Record
from umbrella.sharing.services import share_grant

PROBED = [persona for persona in PERSONAS if persona not in CENTRE_RECORD_READERS]

# The one place a record's existence may show beyond its owner: the platform operator (no
# organisation, runs `audit verify`) searches every organisation's audit events, which name a
# record's reference but never its content (the matrix allows the reference there, nothing more).
ALLOWED = {("system_admin", "/audit/")}

VICTIM = {"given_name": "Amina", "family_name": "Okafor", "phone": "07700 900123"}

# What differs on every request and says nothing about records.
MASKS = (
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1…"),
    (re.compile(r'("X-CSRFToken"\s*:\s*")[^"]+'), r"\1…"),
    (re.compile(r'(name="csrf-token" content=")[^"]+'), r"\1…"),
    # The two-factor set-up page's new key (kept in the session, which each fetch rolls back).
    (re.compile(r'(<div class="umbrella-qr">).*?(</div>)', re.DOTALL), r"\1…\2"),
    (re.compile(r'(id="sign-in-key">)[^<]+'), r"\1…"),
)


TIME = re.compile(r'<time datetime="([^"]+)">[^<]*</time>')


def masked(body: str, *, since: datetime) -> str:
    """The body with tokens masked, and every time from this test on (the fetch's own read event,
    shown on the record's timeline as it is written) replaced by a mark."""
    for pattern, replacement in MASKS:
        body = pattern.sub(replacement, body)

    def mark(match: re.Match[str]) -> str:
        try:
            moment = datetime.fromisoformat(match.group(1))
        except ValueError:
            return match.group(0)
        if moment.tzinfo is None or moment < since:
            return match.group(0)
        return '<time datetime="…">…</time>'

    return TIME.sub(mark, body)


def addresses_for(persona: str, world: MatrixWorld) -> list[str]:
    """Each URL the persona may open as the matrix builds it; variants that arrange extra state
    first are left to the matrix (their arrangement would differ between the two fetches)."""
    found = []
    for case in CASES:
        if case.persona != persona or case.key == STATIC_KEY or case.expect.arrange is not None:
            continue
        if case.expect.get[persona] is Outcome.OK:
            found.append(address_of(case, world))
    # Searches aimed at the hidden record: by the victim's name and phone, the centre's reference
    # prefix, and the strand and borough it was recorded under.
    prefix = world.centre_record.reference.split("-")[0]
    searches = [f"q={VICTIM['family_name']}", "q=07700", f"q={prefix}", "strand=race&borough=E09000033"]
    for listing in ("/records/", "/api/v1/records/", "/exports/records.csv"):
        if listing in found:
            found += [f"{listing}?{search}" for search in searches]
    return sorted(set(found))


def fetch_all(client: Client, addresses: list[str], *, since: datetime) -> dict[str, tuple[int, str]]:
    """Each answer from the same state: what a fetch writes (its own read events, a session touch)
    is rolled back, so the persona's own reads never show as a difference."""
    answers = {}
    for address in addresses:
        before = transaction.savepoint()
        response = client.get(address)
        answers[address] = (response.status_code, masked(body_of(response), since=since))
        transaction.savepoint_rollback(before)
    return answers


def a_hidden_twin(world: MatrixWorld) -> Record:
    """The centre's record of the same victim, place, strand and day, shared with nobody."""
    return make_record(
        actor=world.world.caseworker,
        narrative="The same victim told the centre about the same evening.",
        strands=[strand("race")],
        people=[PersonInput(role="victim", email="amina.okafor@example.org", postcode="SW1A 1AA", **VICTIM)],
    )


@pytest.mark.parametrize("persona", PROBED)
def test_a_hidden_record_changes_nothing_the_persona_can_fetch(persona: str, matrix_world: MatrixWorld) -> None:
    client = Client()
    user = matrix_world.persona(persona)
    if user is not None:
        client.force_login(user)
    addresses = addresses_for(persona, matrix_world)
    since = timezone.now()
    before = fetch_all(client, addresses, since=since)
    a_hidden_twin(matrix_world)
    after = fetch_all(client, addresses, since=since)
    changed = []
    for address in addresses:
        if before[address] != after[address] and (persona, address) not in ALLOWED:
            diff = difflib.unified_diff(before[address][1].splitlines(), after[address][1].splitlines(), lineterm="", n=0)
            lines = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")][:6]
            changed.append(f"{address} ({before[address][0]} → {after[address][0]}):\n    " + "\n    ".join(lines))
    assert addresses, f"no URL to probe for {persona}"
    assert not changed, f"A record {persona} cannot see changed what they get:\n  " + "\n  ".join(changed)


def test_the_probe_sees_the_same_twin_once_the_centre_shares_it(matrix_world: MatrixWorld) -> None:
    """Shared with the force on the victim's consent, the twin does show on the officer's pages,
    the repeat-victim signal on the police record among them: the probe is not blind."""
    client = Client()
    client.force_login(matrix_world.world.officer)
    addresses = addresses_for("officer", matrix_world)
    since = timezone.now()
    before = fetch_all(client, addresses, since=since)
    twin = a_hidden_twin(matrix_world)
    share_grant(
        actor=matrix_world.world.caseworker, record=twin, organisation=matrix_world.world.force, scope="full",
        reason="The victim asked the centre to pass it to the police", consent_reference="CONSENT-2",
    )
    after = fetch_all(client, addresses, since=since)
    changed = {address for address in addresses if before[address] != after[address]}
    force_record = matrix_world.force_record.pk
    assert {"/records/", f"/records/{force_record}/", f"/records/?q={twin.reference[:3]}", f"/api/v1/records/?q={twin.reference[:3]}",
            "/exports/records.csv?strand=race&borough=E09000033"} <= changed, sorted(changed)
    assert twin.reference in after[f"/records/{force_record}/"][1]
