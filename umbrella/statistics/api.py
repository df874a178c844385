"""The statistics API, under /api/v1/: the same counts as the pages and ``umbrella stats table``."""

from __future__ import annotations

from typing import Any, cast

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from umbrella.accounts.models import User
from umbrella.api.errors import InvalidQueryParameter
from umbrella.api.views import problems
from umbrella.statistics.forms import month_of
from umbrella.statistics.policy import can_see_statistics
from umbrella.statistics.selectors import (
    BASELINE_DIMENSIONS,
    DIMENSIONS,
    SOURCES,
    UnknownDimension,
    baseline_table,
    stat_table,
)

app_name = "statistics-api"


class StatisticsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    by = serializers.CharField(required=False, default="", help_text=(
        "Dimensions to group by, comma-separated: " + ", ".join(DIMENSIONS) + " (Umbrella's records); "
        + ", ".join(BASELINE_DIMENSIONS) + " (official figures)."))
    # DRF lifts declared fields off the class: these shadow Field.source only for the type checker.
    source = serializers.ChoiceField(choices=SOURCES, required=False, default="umbrella")  # type: ignore[assignment]
    from_month = serializers.CharField(required=False, help_text="First month reported, e.g. 2026-01 (Umbrella's records).")
    to_month = serializers.CharField(required=False, help_text="Last month reported, e.g. 2026-11.")

    def _month(self, value: str) -> str:
        if month_of(value) is None:
            raise serializers.ValidationError("Write the month as a year and month, like 2026-11.")
        return value

    def validate_from_month(self, value: str) -> str:
        return self._month(value)

    def validate_to_month(self, value: str) -> str:
        return self._month(value)


class StatisticsRowsSerializer(serializers.Serializer[dict[str, Any]]):
    source = serializers.CharField()  # type: ignore[assignment]
    by = serializers.ListField(child=serializers.CharField())
    counting = serializers.CharField(help_text="How records with several strands are counted.")
    rows = serializers.ListField(child=serializers.DictField(), help_text="One object per group, with count.")


class StatisticsTable(APIView):
    """Counts grouped by dimensions; any other query parameter named after a dimension filters by it."""

    @extend_schema(
        summary="Counts grouped by dimensions (never a record)",
        operation_id="statistics_table",
        parameters=[StatisticsQuerySerializer],
        responses={200: StatisticsRowsSerializer, **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        if not can_see_statistics(user):
            raise exceptions.PermissionDenied("Your role does not give access to statistics.")
        query = {key: str(value) for key, value in request.query_params.items() if value != ""}
        given = StatisticsQuerySerializer(data=query)
        if not given.is_valid():
            raise InvalidQueryParameter(given.errors)
        options = given.validated_data
        by = [name.strip() for name in options["by"].split(",") if name.strip()]
        filters = {key: value for key, value in query.items() if key not in StatisticsQuerySerializer().fields}
        try:
            if options["source"] == "umbrella":
                first, last = options.get("from_month"), options.get("to_month")
                months = None
                if first or last:
                    start, end = month_of(first or "1900-01"), month_of(last or "9999-12")
                    assert start is not None and end is not None
                    months = (start, end)
                rows = stat_table(user=user, by=by, filters=filters, months=months)
            else:
                rows = baseline_table(source=options["source"], by=by, filters=filters)
        except UnknownDimension as exc:
            raise InvalidQueryParameter({"by": [str(exc)]}) from exc
        return Response(StatisticsRowsSerializer({
            "source": options["source"], "by": by, "rows": rows,
            "counting": "Grouped or filtered by strand, a record with two strands counts under each; otherwise once.",
        }).data)


urlpatterns = [
    path("statistics/", StatisticsTable.as_view(), name="statistics-table"),
]
