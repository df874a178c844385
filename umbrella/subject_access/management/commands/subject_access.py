"""``umbrella subject-access``: a person's request about their data, from the command line.

    umbrella subject-access open --as USERNAME --kind access --received YYYY-MM-DD
        [--given-name G --family-name F --date-of-birth YYYY-MM-DD] [--email E] [--phone P]
    umbrella subject-access matches REQUEST --as USERNAME
    umbrella subject-access confirm REQUEST MATCH [MATCH ...] --as USERNAME [--reject]
    umbrella subject-access bundle REQUEST --as USERNAME --out DIR
    umbrella subject-access dispose-closed [--today YYYY-MM-DD]

``bundle`` writes REQUEST.json (machine readable) and REQUEST.pdf into DIR: the records the
organisation holds on the confirmed people, with everyone else's personal data withheld.
``dispose-closed`` (daily, as a system job) removes what closed requests hold about their requester
once they have been kept UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS after closing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.subject_access.models import RequestKind, SubjectMatch, SubjectRequest
from umbrella.subject_access.pdf import bundle_pdf
from umbrella.subject_access.selectors import (
    bundle_make,
    matches_of,
    request_get,
    working_days_left,
)
from umbrella.subject_access.services import (
    closed_requests_dispose,
    match_decide,
    subject_request_open,
)


def _request_id(value: str) -> int:
    digits = value.upper().removeprefix("SR-")
    if not digits.isdigit():
        raise CommandError(f"{value!r} is not a request reference (SR-000123) or number")
    return int(digits)


class Command(BaseCommand):
    help = "A person's request to see, correct or erase their data: open it, confirm who they are, make the bundle."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        opened = steps.add_parser("open", help="Record a request and propose the people it may be about")
        opened.add_argument("--kind", choices=RequestKind.values, default=RequestKind.ACCESS)
        opened.add_argument("--received", type=date.fromisoformat, default=None, help="Day received (default: today)")
        for name in ("given-name", "family-name", "email", "phone"):
            opened.add_argument(f"--{name}", default="")
        opened.add_argument("--date-of-birth", type=date.fromisoformat, default=None)
        listed = steps.add_parser("matches", help="The people proposed for a request")
        listed.add_argument("request")
        confirm = steps.add_parser("confirm", help="Confirm (or --reject) proposed people")
        confirm.add_argument("request")
        confirm.add_argument("match", nargs="+", type=int)
        confirm.add_argument("--reject", action="store_true")
        bundle = steps.add_parser("bundle", help="Write the bundle (JSON and PDF) for a request")
        bundle.add_argument("request")
        bundle.add_argument("--out", type=Path, required=True)
        disposal = steps.add_parser("dispose-closed",
                                    help="Remove the requester's details from requests closed longer than they are kept")
        disposal.add_argument("--today", type=date.fromisoformat, default=None,
                              help="The day to count from (default: today)")
        for sub in (opened, listed, confirm, bundle):
            sub.add_argument("--as", dest="username", required=True, help="The handler (a supervisor, partner manager or administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["step"] == "dispose-closed":
            disposed = closed_requests_dispose(today=options["today"] or timezone.localdate())
            self.stdout.write(f"{disposed} closed request{'' if disposed == 1 else 's'} emptied of the requester's "
                              f"details (kept {settings.UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS} months after closing).")
            return
        try:
            actor = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {options['username']!r}") from None
        try:
            getattr(self, f"_{options['step']}")(actor, options)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except SubjectRequest.DoesNotExist:
            raise CommandError("No such request in your organisation") from None

    def _open(self, actor: User, options: dict[str, Any]) -> None:
        request = subject_request_open(
            actor=actor, kind=options["kind"], received_on=options["received"] or timezone.localdate(),
            given_name=options["given_name"], family_name=options["family_name"],
            date_of_birth=options["date_of_birth"], email=options["email"], phone=options["phone"],
        )
        self.stdout.write(f"{request.reference} opened: due {request.due_on:%-d %B %Y} "
                          f"({working_days_left(request)} working days).")
        self._matches(actor, {"request": request.reference})

    def _matches(self, actor: User, options: dict[str, Any]) -> None:
        request = request_get(user=actor, request_id=_request_id(options["request"]))
        matches = matches_of(request=request)
        self.stdout.write(f"{len(matches)} {'person' if len(matches) == 1 else 'people'} proposed; "
                          "confirm those who are the requester.")
        for view in matches:
            records = ", ".join(reference for _, reference in view.records)
            self.stdout.write(f"  match {view.match.pk}: {view.match.get_how_display()}; "
                              f"{view.match.get_status_display()}; on {records}")

    def _confirm(self, actor: User, options: dict[str, Any]) -> None:
        request = request_get(user=actor, request_id=_request_id(options["request"]))
        for pk in options["match"]:
            try:
                match = SubjectMatch.objects.get(pk=pk, request=request)
            except SubjectMatch.DoesNotExist:
                raise CommandError(f"Request {request.reference} has no match {pk}") from None
            decided = match_decide(actor=actor, match=match, confirmed=not options["reject"])
            self.stdout.write(f"match {pk}: {decided.get_status_display()}")

    def _bundle(self, actor: User, options: dict[str, Any]) -> None:
        request = request_get(user=actor, request_id=_request_id(options["request"]))
        bundle = bundle_make(actor=actor, request=request)
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        (out / f"{request.reference}.json").write_text(json.dumps(bundle.as_json(), indent=2, ensure_ascii=False))
        (out / f"{request.reference}.pdf").write_bytes(bundle_pdf(bundle, dated=timezone.localdate()))
        count = len(bundle.records)
        self.stdout.write(f"{request.reference}: {count} record{'' if count == 1 else 's'} written to "
                          f"{out}/{request.reference}.json and .pdf")
