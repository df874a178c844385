from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from umbrella.api.errors import InvalidQueryParameter
from umbrella.core.pagination import CappedPaginator


class RecordPagination(PageNumberPagination):
    """Page numbers, with a count that stops at 10,000 (``core.pagination``): beyond it ``count``
    is 10,000 and ``count_is_capped`` true, and the pages reach the first 10,000."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = self.page.paginator  # type: ignore[union-attr]
        response.data["count_is_capped"] = bool(getattr(paginator, "is_capped", False))
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_is_capped"] = {
            "type": "boolean", "description": "True when there are more than 10,000: count is then 10,000.",
        }
        return described

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            # DRF answers a bad page number with 404, which reads as "no such list"; it is bad input.
            raise InvalidQueryParameter({self.page_query_param: str(exc.detail)}) from exc
