"""The reference data API under /api/v1/reference/: the code schemes, and each scheme's current
codes (what to send when creating or filtering records); and ``CodeField``, which every app's API
uses to take and give codes as strings ("race", "E09000033")."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from umbrella.api.fields import TextField
from umbrella.api.views import ApiView, problems
from umbrella.reference.models import Code, Scheme
from umbrella.reference.selectors import current_code, current_codes

# Long enough for any real code, short enough that an error message never echoes a pasted essay.
MAX_CODE_LENGTH = 64


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.Field):  # type: ignore[type-arg]
    """A current code of one scheme, given and shown as its code string."""

    default_error_messages = {
        "invalid": "Give a code as a string.",
        "unknown": "“{value}” is not a current {scheme} code. The codes are listed at /api/v1/reference/{scheme_path}/.",
    }

    def __init__(self, *, scheme: str, **kwargs: Any) -> None:
        self.scheme = scheme
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Code:
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        value = data.strip()[:MAX_CODE_LENGTH]
        found = current_code(scheme=self.scheme, code=value)
        if found is None:
            self.fail("unknown", value=value, scheme=self.scheme.replace("_", " "), scheme_path=self.scheme)
        return found

    def to_representation(self, value: Code) -> str:
        return value.code


class ReferenceSchemeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scheme = TextField()
    # Declared fields leave the class (see ProblemSerializer.errors), so Field.label is untouched.
    label = TextField()  # type: ignore[assignment]


class ReferenceCodeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = TextField()
    label = TextField()  # type: ignore[assignment]
    description = TextField()
    parent_code = TextField()
    attributes = serializers.DictField()
    verification = TextField()
    sort_order = serializers.IntegerField()


class ReferenceSchemes(ApiView):
    @extend_schema(
        summary="List the reference code schemes",
        operation_id="reference_schemes_list",
        responses={200: ReferenceSchemeSerializer(many=True), **problems(401)},
    )
    def get(self, request: Request) -> Response:
        return Response([{"scheme": value, "label": str(label)} for value, label in Scheme.choices])


class ReferenceCodes(ApiView):
    @extend_schema(
        summary="List the current codes of one scheme",
        operation_id="reference_codes_list",
        description="Codes to send when creating or filtering records. `parent` narrows sub-categories to one strand.",
        parameters=[
            OpenApiParameter("scheme", str, OpenApiParameter.PATH, enum=list(Scheme.values)),
            OpenApiParameter("parent", str, OpenApiParameter.QUERY, required=False),
        ],
        responses={200: ReferenceCodeSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request: Request, scheme: str) -> Response:
        if scheme not in Scheme.values:
            raise exceptions.NotFound()
        codes = current_codes(scheme=scheme)
        parent = request.query_params.get("parent", "")
        if parent:
            codes = codes.filter(parent_code=parent)
        return Response(ReferenceCodeSerializer(codes, many=True).data)


app_name = "reference-api"

urlpatterns = [
    path("reference/", ReferenceSchemes.as_view(), name="reference-schemes"),
    path("reference/<slug:scheme>/", ReferenceCodes.as_view(), name="reference-codes"),
]
