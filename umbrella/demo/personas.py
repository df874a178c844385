"""The organisations, teams and sign-ins of the synthetic London.

Every name here is invented except the Metropolitan Police Service, which the demo plays.
Organisations, teams and users are made through the agencies services (so each gets its own
data key and an audit event); only the first system administrator, who has nobody to create
them, is saved directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from umbrella.accounts.models import Role, User
from umbrella.administration.services import organisation_create, team_create, user_create
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write

# One shared password for every demo persona; demo settings only, printed on purpose.
DEMO_PASSWORD = "umbrella-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    prefix: str
    description: str


@dataclass(frozen=True)
class TeamSpec:
    organisation: str
    name: str
    borough_code: str = ""


@dataclass(frozen=True)
class PersonaSpec:
    username: str
    role: str
    organisation: str | None
    first_name: str
    last_name: str
    team: str | None = None


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec("mps", "Metropolitan Police Service", OrganisationKind.POLICE_FORCE, "MPS",
                     "The police force for the 32 London boroughs."),
    OrganisationSpec("northbridge", "Northbridge Jewish Community Safety", OrganisationKind.THIRD_PARTY_CENTRE,
                     "NJS", "Third-party reporting centre serving London's Jewish communities."),
    OrganisationSpec("crescent", "Crescent Anti-Muslim Hate Reporting Centre", OrganisationKind.THIRD_PARTY_CENTRE,
                     "CRC", "Third-party reporting centre recording anti-Muslim hatred."),
    OrganisationSpec("prism", "Prism LGBT+ Anti-Violence Project", OrganisationKind.THIRD_PARTY_CENTRE,
                     "PAV", "LGBT+ anti-violence charity taking hate crime reports."),
    OrganisationSpec("harbour", "Harbour Hate Crime Victim Service", OrganisationKind.VICTIM_SERVICE,
                     "HVS", "Victim support service for people affected by hate crime."),
    OrganisationSpec("eastside", "Eastside Borough Council", OrganisationKind.LOCAL_AUTHORITY,
                     "EBC", "Council community safety team."),
    OrganisationSpec("southfield", "Southfield Borough Council", OrganisationKind.LOCAL_AUTHORITY,
                     "SBC", "Council community safety team."),
    OrganisationSpec("thameside", "Thameside Homes", OrganisationKind.HOUSING_PROVIDER,
                     "THH", "Housing association dealing with hate-motivated neighbour nuisance."),
    OrganisationSpec("iag", "Independent Advisory Group on Hate Crime", OrganisationKind.SCRUTINY_BODY,
                     "IAG", "Community members who scrutinise the police response, from aggregates only."),
)
ORGANISATION_BY_KEY = {spec.key: spec for spec in ORGANISATIONS}

HUB = "Central Hate Crime Hub"
# Community safety units, each covering one borough (GSS code).
CSU_BOROUGHS: dict[str, str] = {
    "North Community Safety Unit (Haringey)": "E09000014",
    "South Community Safety Unit (Lambeth)": "E09000022",
    "East Community Safety Unit (Tower Hamlets)": "E09000030",
}
TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("mps", HUB),
    *(TeamSpec("mps", name, gss) for name, gss in CSU_BOROUGHS.items()),
)

SYSTEM_ADMIN_USERNAME = "sysadmin"
PERSONAS: tuple[PersonaSpec, ...] = (
    PersonaSpec("call.handler", Role.CALL_HANDLER, "mps", "Jordan", "Ellis", HUB),
    PersonaSpec("officer", Role.OFFICER, "mps", "Priya", "Sandhu", "North Community Safety Unit (Haringey)"),
    PersonaSpec("investigator", Role.INVESTIGATOR, "mps", "Tom", "Adeyemi", "East Community Safety Unit (Tower Hamlets)"),
    PersonaSpec("hub.reviewer", Role.HUB_REVIEWER, "mps", "Helen", "Marsh", HUB),
    PersonaSpec("supervisor", Role.SUPERVISOR, "mps", "Kwame", "Boateng", HUB),
    PersonaSpec("analyst", Role.ANALYST, "mps", "Ling", "Chen", HUB),
    PersonaSpec("org.admin", Role.ORG_ADMIN, "mps", "Sarah", "Okoro"),
    PersonaSpec("caseworker.northbridge", Role.PARTNER_CASEWORKER, "northbridge", "Miriam", "Stern"),
    PersonaSpec("manager.northbridge", Role.PARTNER_MANAGER, "northbridge", "Daniel", "Abrahams"),
    PersonaSpec("caseworker.crescent", Role.PARTNER_CASEWORKER, "crescent", "Yusuf", "Rahman"),
    PersonaSpec("manager.crescent", Role.PARTNER_MANAGER, "crescent", "Safiya", "Malik"),
    PersonaSpec("caseworker.prism", Role.PARTNER_CASEWORKER, "prism", "Alex", "Morgan"),
    PersonaSpec("manager.prism", Role.PARTNER_MANAGER, "prism", "Robin", "Hayes"),
    PersonaSpec("caseworker.harbour", Role.PARTNER_CASEWORKER, "harbour", "Grace", "Mensah"),
    PersonaSpec("caseworker.eastside", Role.PARTNER_CASEWORKER, "eastside", "Imran", "Qureshi"),
    PersonaSpec("caseworker.southfield", Role.PARTNER_CASEWORKER, "southfield", "Jess", "Walker"),
    PersonaSpec("caseworker.thameside", Role.PARTNER_CASEWORKER, "thameside", "Aoife", "Doherty"),
    PersonaSpec("scrutiny", Role.SCRUTINY_MEMBER, "iag", "Marcus", "Campbell"),
    PersonaSpec(SYSTEM_ADMIN_USERNAME, Role.SYSTEM_ADMIN, None, "Sam", "Fletcher"),
)


@dataclass(frozen=True)
class SignIn:
    username: str
    role: str
    organisation: str
    team: str


@dataclass
class DemoWorld:
    organisations: dict[str, Organisation]
    teams: dict[str, Team]
    users: dict[str, User]


def _system_admin() -> User:
    existing = User.objects.filter(username__iexact=SYSTEM_ADMIN_USERNAME).first()
    if existing is not None:
        return existing
    spec = next(p for p in PERSONAS if p.username == SYSTEM_ADMIN_USERNAME)
    user = User(username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                role=Role.SYSTEM_ADMIN, organisation=None, is_active=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    audit_event_write(
        actor=None, action=actions.USER_CREATE, target=user, target_label=user.username,
        changes={"username": user.username, "role": user.role, "password": "set", "source": "demo-data"},
    )
    return user


@transaction.atomic
def ensure_world() -> DemoWorld:
    """Creates whatever is missing of the demo organisations, teams and users; changes nothing else."""
    admin = _system_admin()
    organisations: dict[str, Organisation] = {}
    for org_spec in ORGANISATIONS:
        org = Organisation.objects.filter(slug=org_spec.key).first()
        if org is None:
            org = organisation_create(actor=admin, name=org_spec.name, slug=org_spec.key,
                                      kind=org_spec.kind, reference_prefix=org_spec.prefix)
        organisations[org_spec.key] = org
    teams: dict[str, Team] = {}
    for team_spec in TEAMS:
        org = organisations[team_spec.organisation]
        team = Team.objects.filter(organisation=org, name=team_spec.name).first()
        if team is None:
            team = team_create(actor=admin, organisation=org, name=team_spec.name,
                               borough_code=team_spec.borough_code)
        teams[team_spec.name] = team
    users: dict[str, User] = {SYSTEM_ADMIN_USERNAME: admin}
    for persona in PERSONAS:
        if persona.username == SYSTEM_ADMIN_USERNAME:
            continue
        user = User.objects.filter(username__iexact=persona.username).first()
        if user is None:
            user = user_create(
                actor=admin,
                organisation=organisations[persona.organisation] if persona.organisation else None,
                username=persona.username,
                role=persona.role,
                password=DEMO_PASSWORD,
                first_name=persona.first_name,
                last_name=persona.last_name,
                team=teams[persona.team] if persona.team else None,
            )
        users[persona.username] = user
    return DemoWorld(organisations=organisations, teams=teams, users=users)


def sign_ins() -> list[SignIn]:
    """The persona sign-ins that exist in the database, in the order above."""
    found = {
        user.username: user
        for user in User.objects.filter(username__in=[p.username for p in PERSONAS]).select_related(
            "organisation", "team"
        )
    }
    rows: list[SignIn] = []
    for persona in PERSONAS:
        user = found.get(persona.username)
        if user is None:
            continue
        rows.append(
            SignIn(
                username=user.username,
                role=str(Role(user.role).label) if user.role in Role.values else user.role,
                organisation=user.organisation.name if user.organisation else "(all organisations)",
                team=user.team.name if user.team else "",
            )
        )
    return rows


def sign_in_table(rows: list[SignIn]) -> str:
    """A plain-text table of sign-ins with the shared password, for the console."""
    if not rows:
        return "No demo users yet: run `umbrella demo-data --seed 1` first."
    headers = ("Username", "Password", "Role", "Organisation")
    table = [
        (
            row.username,
            DEMO_PASSWORD,
            str(row.role),
            f"{row.organisation} — {row.team}" if row.team else row.organisation,
        )
        for row in rows
    ]
    widths = [max(len(headers[i]), *(len(line[i]) for line in table)) for i in range(3)]

    def line(cells: tuple[str, str, str, str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells[:3], widths, strict=True)) + "  " + cells[3]

    lines = [line(headers), line(("-" * widths[0], "-" * widths[1], "-" * widths[2], "-" * 12))]
    lines.extend(line(cells) for cells in table)
    lines.append("")
    lines.append(f"Every demo user's password is {DEMO_PASSWORD} (demo data only).")
    return "\n".join(lines)
