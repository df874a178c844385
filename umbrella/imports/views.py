"""The CSV export of the record list: same filters as the page, scoped, audited, streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from umbrella.accounts.models import User
from umbrella.accounts.policy import EXPORTERS, has_role
from umbrella.cases.forms import record_filters_from_query
from umbrella.imports.cells import escape_cell
from umbrella.imports.selectors import EXPORT_COLUMNS, records_export


class _Echo:
    """A write-only file for csv.writer that hands each line straight back."""

    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark makes Excel read the file as UTF-8; the importer reads it as utf-8-sig.
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])


@login_required
@require_GET
def records_csv(request: HttpRequest) -> StreamingHttpResponse:
    user = cast(User, request.user)
    if not has_role(user, EXPORTERS):
        # Like the record list for roles that cannot read records: the page exists, not for you.
        raise PermissionDenied("Your role cannot export records.")
    export = records_export(user=user, filters=record_filters_from_query(request.GET))
    response = StreamingHttpResponse(_lines(export.rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="umbrella-records-{stamp}.csv"'
    response["X-Record-Count"] = str(export.count)
    response["Cache-Control"] = "no-store"
    return response
