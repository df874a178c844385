"""The database a benchmark runs against: reset, migrated, reference data, organisations and users."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.report import note

BENCH_DATABASE_NAME = "umbrella_bench"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_bench_url(database_url: str) -> str:
    """DATABASE_URL with its database name replaced by ``umbrella_bench``: never the real one."""
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DATABASE_NAME}", parts.query, ""))


def reset_database(url: str) -> None:
    """Drops and recreates the bench database (before Django connects to it)."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if name != BENCH_DATABASE_NAME:
        raise SystemExit(f"Refusing to drop {name!r}: the bench only ever recreates {BENCH_DATABASE_NAME!r}.")
    maintenance = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DATABASE_NAME}"')


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def seed_reference() -> str:
    """The project's reference seed when it exists; otherwise a small set of codes made here."""
    try:
        from umbrella.reference.seed import seed_reference_data  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        _fallback_codes()
        return "bench fallback codes (umbrella.reference.seed not present)"
    seed_reference_data()
    return "umbrella.reference.seed.seed_reference_data()"


def _fallback_codes() -> None:
    from tests.factories import code

    for value, label, monitored in (
        ("race", "Race or ethnicity", True),
        ("religion", "Religion or belief", True),
        ("sexual_orientation", "Sexual orientation", True),
        ("disability", "Disability", True),
        ("transgender", "Transgender identity", True),
        ("sex", "Sex or gender (misogyny)", False),
    ):
        code("strand", value, label, monitored=monitored)
    for parent, value, label in (
        ("race", "anti_black", "Anti-Black"),
        ("race", "anti_asian", "Anti-Asian"),
        ("religion", "anti_muslim", "Anti-Muslim"),
        ("religion", "antisemitic", "Antisemitic"),
    ):
        code("sub_category", value, label, parent_code=parent)
    for value in ("victim", "witness", "officer", "third_party"):
        code("perceiver", value)
    for gss, label in (
        ("E09000033", "Westminster"),
        ("E09000030", "Tower Hamlets"),
        ("E09000022", "Lambeth"),
        ("E09000028", "Southwark"),
        ("E09000012", "Hackney"),
        ("E09000025", "Newham"),
    ):
        code("borough", gss, label, gss=gss)
    for value in ("street", "shop", "public_transport", "dwelling", "online"):
        code("location_type", value)
    code("offence", "8M", "Harassment (racially or religiously aggravated)")
    code("offence", "105A", "Assault without injury")


@dataclass
class BenchWorld:
    force_id: int
    centre_id: int
    officer_id: int
    caseworker_id: int
    # Imports need an IMPORTERS role; officers cannot import.
    supervisor_id: int
    supervisor_username: str
    force_slug: str
    centre_slug: str
    force_prefix: str
    centre_prefix: str


def make_world() -> BenchWorld:
    from umbrella.accounts.models import Role, User
    from umbrella.agencies.models import Organisation, OrganisationKind

    force, _ = Organisation.objects.get_or_create(
        slug="bench-force",
        defaults={"name": "Bench Police Service", "kind": OrganisationKind.POLICE_FORCE, "reference_prefix": "BPS"},
    )
    centre, _ = Organisation.objects.get_or_create(
        slug="bench-centre",
        defaults={"name": "Bench Reporting Centre", "kind": OrganisationKind.THIRD_PARTY_CENTRE, "reference_prefix": "BRC"},
    )

    def user(username: str, organisation: Organisation, role: str) -> User:
        found, created = User.objects.get_or_create(
            username=username, defaults={"organisation": organisation, "role": role, "first_name": "Bench"}
        )
        if created:
            found.set_password(os.urandom(16).hex())
            found.save()
        return found

    officer = user("bench.officer", force, Role.OFFICER)
    caseworker = user("bench.caseworker", centre, Role.PARTNER_CASEWORKER)
    supervisor = user("bench.supervisor", force, Role.SUPERVISOR)
    note(f"reference data: {seed_reference()}")
    return BenchWorld(
        force_id=force.pk,
        centre_id=centre.pk,
        officer_id=officer.pk,
        caseworker_id=caseworker.pk,
        supervisor_id=supervisor.pk,
        supervisor_username=supervisor.get_username(),
        force_slug=force.slug,
        centre_slug=centre.slug,
        force_prefix=force.reference_prefix,
        centre_prefix=centre.reference_prefix,
    )
