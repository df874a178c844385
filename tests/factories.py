"""Factories for tests. Records are made through the real services, so audit and encryption apply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.cases.inputs import FlagsInput, LocationInput, PersonInput, StrandInput
from umbrella.cases.models import Record
from umbrella.cases.services import record_create
from umbrella.reference.models import Code, ReferenceVersion, Verification
from umbrella.reference.selectors import latest_version

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.POLICE_FORCE
    reference_prefix = factory.Sequence(lambda n: f"O{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


def code(scheme: str, value: str, label: str | None = None, **attributes: Any) -> Code:
    """The current code, created on the fly for tests that run without the seeded reference data."""
    existing = Code.objects.current().filter(scheme=scheme, code=value).first()
    if existing is not None:
        return existing
    version = ReferenceVersion.objects.order_by("-number").first() or latest_version()
    parent = attributes.pop("parent_code", "")
    return Code.objects.create(
        scheme=scheme,
        code=value,
        label=label or value.replace("_", " ").capitalize(),
        parent_code=parent,
        attributes=attributes,
        verification=Verification.OFFICIAL,
        introduced_in=version,
    )


def closure_reasons() -> None:
    """The seeded reasons for closing a record (reference data "status_reason"), for tests that run
    without the whole seed."""
    from umbrella.reference.seed import seed_codes

    for seeded in seed_codes():
        if seeded.scheme == "status_reason":
            code(seeded.scheme, seeded.code, seeded.label, **seeded.attributes)


def strand(value: str = "race", *, perceiver: str = "victim", sub_category: str | None = None) -> StrandInput:
    monitored = value in {"race", "religion", "sexual_orientation", "disability", "transgender"}
    return StrandInput(
        strand=code("strand", value, monitored=monitored),
        perceiver=code("perceiver", perceiver),
        sub_category=code("sub_category", sub_category, parent_code=value) if sub_category else None,
    )


def make_record(
    *,
    actor: User,
    kind: str = "hate_crime",
    narrative: str = "Victim was shouted at outside the shop by a man who used racist language.",
    strands: list[StrandInput] | None = None,
    people: list[PersonInput] | None = None,
    borough: str | None = "E09000033",
    status: str = "recorded",
    is_online: bool = False,
    days_ago: int = 2,
    lsoa: str = "",
    **kwargs: Any,
) -> Record:
    now = timezone.now()
    return record_create(
        actor=actor,
        kind=kind,
        reported_at=now - timedelta(days=days_ago),
        occurred_from=now - timedelta(days=days_ago, hours=2),
        narrative=narrative,
        location=LocationInput(
            description="Outside a convenience store on the high street",
            postcode="SW1A 1AA",
            borough=code("borough", borough, "Westminster", gss=borough) if borough else None,
            lsoa_code=lsoa,
        ),
        flags=FlagsInput(is_online=is_online),
        strands=strands if strands is not None else [strand("race")],
        people=people
        if people is not None
        else [PersonInput(role="victim", given_name="Amina", family_name="Okafor", phone="07700 900123")],
        status=status,
        **kwargs,
    )


def give_outcome(record: Record, *, actor: User) -> None:
    """A Home Office outcome on a police crime, as closing one needs (outcome 1, charged, today)."""
    from umbrella.outcomes.services import outcome_record

    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    outcome_record(actor=actor, record=record, outcome_code="1", suspect_identified=True,
                   decided_on=timezone.localdate())
