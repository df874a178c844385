"""The objects the matrix fills URL arguments from, built on the shared ``world`` personas.

The centre's record is the one that matters: it belongs to the third-party reporting centre and is
shared with nobody, so only the centre's own caseworker may ever see it. Its reference, narrative
and victim's name are distinctive, so any page that leaks them can be caught by looking for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from tests.conftest import World
from tests.factories import code, make_record, strand
from tests.matrix.outcomes import PERSONAS
from umbrella.accounts.models import User
from umbrella.agencies.models import Team
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Record, RecordStrand
from umbrella.reference.models import Code, ReferenceVersion
from umbrella.sharing.services import share_grant

CENTRE_NARRATIVE = "Caller described a xylophone-shaped sticker left on the community hall door."
CENTRE_VICTIM = ("Zebulon", "Quillfeather")
FORCE_NARRATIVE = "Officer noted graffiti on the bus shelter aimed at the victim's family."


@dataclass
class MatrixWorld:
    world: World
    centre_record: Record
    centre_strand: RecordStrand
    force_record: Record
    force_strand: RecordStrand
    centre_team: Team
    force_team: Team
    strand_code: Code
    version: ReferenceVersion
    # Each persona's signed-in session, made once with the world: a test sends its cookie instead
    # of signing in again (about 6 ms a test). What a test does to its session is rolled back with
    # the rest of its writes.
    sessions: dict[str, str]

    def signed_in_client(self, name: str) -> Client:
        """A client with the persona's session (none for "anonymous")."""
        client = Client()
        if name in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[name]
        return client

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self.world, name)

    def secrets_of_centre_record(self) -> dict[str, str]:
        """What must never appear in a response to anyone but the owning centre (unless shared)."""
        return {
            "reference": self.centre_record.reference,
            "narrative": CENTRE_NARRATIVE,
            "given name": CENTRE_VICTIM[0],
            "family name": CENTRE_VICTIM[1],
        }

    def share_centre_record_with_force(self, scope: str) -> None:
        share_grant(
            actor=self.world.caseworker,
            record=self.centre_record,
            organisation=self.world.force,
            scope=scope,
            reason="Victim asked the centre to pass the incident to the police",
            consent_reference="CONSENT-1",
        )


def build_matrix_world(world: World) -> MatrixWorld:
    strand_code = code("strand", "race", "Race or ethnicity", monitored=True)
    code("perceiver", "victim", "Victim")
    centre_record = make_record(
        actor=world.caseworker,
        narrative=CENTRE_NARRATIVE,
        strands=[strand("race")],
        people=[PersonInput(role="victim", given_name=CENTRE_VICTIM[0], family_name=CENTRE_VICTIM[1])],
    )
    force_record = make_record(actor=world.officer, narrative=FORCE_NARRATIVE, strands=[strand("race")])
    version = ReferenceVersion.objects.order_by("-number").first()
    assert version is not None
    sessions = {}
    for name in PERSONAS:
        user = None if name == "anonymous" else getattr(world, name)
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[name] = client.session.session_key
    return MatrixWorld(
        world=world,
        centre_record=centre_record,
        centre_strand=centre_record.strands.get(),
        force_record=force_record,
        force_strand=force_record.strands.get(),
        centre_team=Team.objects.create(organisation=world.centre, name="Outreach"),
        force_team=Team.objects.create(organisation=world.force, name="Hate Crime Hub"),
        strand_code=strand_code,
        version=version,
        sessions=sessions,
    )
