from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from umbrella.api.errors import InvalidQueryParameter


class RecordPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            # DRF answers a bad page number with 404, which reads as "no such list"; it is bad input.
            raise InvalidQueryParameter({self.page_query_param: str(exc.detail)}) from exc
