"""``umbrella scrutiny sample --month 2026-11 [--body SLUG] [--per-strand 2] [--seed N]``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.scrutiny.services import sample_draw
from umbrella.statistics.forms import month_of


class Command(BaseCommand):
    help = ("Draws a month's dip sample of closed cases for every scrutiny body (or one): a few for each strand, "
            "at random, none sampled before. Run it monthly; each draw is audited with its seed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month, written 2026-11.")
        parser.add_argument("--body", default="", help="One scrutiny body's slug; without it, every active one.")
        parser.add_argument("--per-strand", type=int, default=2, help="Cases for each strand (1 to 20; 2 by default).")
        parser.add_argument("--seed", type=int, default=None, help="Repeat a draw: the seed it was made with.")

    def handle(self, *args: Any, **options: Any) -> None:
        month = month_of(options["month"])
        if month is None:
            raise CommandError(f"--month is a year and month, like 2026-11, not {options['month']!r}.")
        bodies = Organisation.objects.filter(kind=OrganisationKind.SCRUTINY_BODY, is_active=True)
        if options["body"]:
            bodies = bodies.filter(slug=options["body"])
            if not bodies.exists():
                raise CommandError(f"There is no active scrutiny body {options['body']!r}.")
        for body in bodies:
            try:
                sample = sample_draw(actor=None, scrutiny_body=body, month=month, per_strand=options["per_strand"],
                                     seed=options["seed"])
            except ValidationError as error:
                raise CommandError("; ".join(message for messages in error.message_dict.values() for message in messages)) from None
            self.stdout.write(f"{body.name}: {sample.cases.count()} cases sampled for {month:%B %Y} (seed {sample.seed}).")
