"""``umbrella outcomes funnel --as USER [--filter QUERY] [--table stages|reasons] --format csv``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from umbrella.accounts.models import User
from umbrella.outcomes.forms import funnel_filters_from_query
from umbrella.outcomes.funnel import attrition_funnel, write_reasons_csv, write_stages_csv
from umbrella.outcomes.policy import can_see_funnel


class Command(BaseCommand):
    help = "Prints the attrition funnel of the records a user may see: stages, or the reasons cases stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="whose view of the records to count")
        parser.add_argument("--filter", default="", help='the record list\'s query string, e.g. "strand=race"')
        parser.add_argument("--table", choices=("stages", "reasons"), default="stages")
        parser.add_argument("--format", choices=("csv",), default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.select_related("organisation").filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        if not can_see_funnel(user):
            raise CommandError(f"{user.username}'s role does not give access to the attrition funnel.")
        funnel = attrition_funnel(user=user, filters=funnel_filters_from_query(QueryDict(options["filter"])))
        (write_stages_csv if options["table"] == "stages" else write_reasons_csv)(funnel, self.stdout)
