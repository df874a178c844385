"""The API's shared machinery: the base view (authentication, RFC 9457 problems for every
failure), the problem entries for the schema, and the 404 for any other address under /api/v1/.
Each app's endpoints live in its own ``api.py`` (e.g. ``cases.api``) and build on ``ApiView``."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from umbrella.accounts.models import User
from umbrella.api.authentication import HashedTokenAuthentication
from umbrella.api.errors import api_exception, refine_problem
from umbrella.api.serializers import ProblemSerializer
from umbrella.core.problems import PROBLEM_CONTENT_TYPE

_PROBLEM_DESCRIPTIONS = {
    400: "Invalid input; `errors` point at each field (or name each query parameter).",
    401: "Not signed in, or the token is wrong.",
    403: "Your role cannot do this.",
    404: "No such record (or other object), or not one you can see.",
    409: "row_version is stale: someone else changed the record. Nothing was saved.",
    415: "Send the body as application/json.",
}


def problems(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Schema entries for problem answers, under the media type they are really served as."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=_PROBLEM_DESCRIPTIONS[code])
        for code in codes
    }


READ_PROBLEMS = problems(401, 403, 404)
WRITE_PROBLEMS = problems(400, 401, 403, 404, 415)


def actor_of(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


# Base for every endpoint: authentication, and problem+json for every kind of failure.
class ApiView(APIView):
    # Token first so that an anonymous call is answered 401 with a WWW-Authenticate challenge.
    authentication_classes = [HashedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    # No OPTIONS metadata: it would describe forms to roles that cannot use them; 405 instead.
    metadata_class = None
    # Service error keys renamed to this endpoint's body fields, so pointers lead to what was sent.
    field_names: ClassVar[dict[str, str]] = {}

    def handle_exception(self, exc: Exception) -> Response:
        exc = api_exception(exc, field_names=self.field_names)
        response = super().handle_exception(exc)
        response.data = refine_problem(exc, response.data)
        return response



class NotFoundView(ApiView):
    """Any other address under /api/v1/ answers with a 404 problem rather than an HTML page."""

    permission_classes: ClassVar[list[Any]] = []  # type: ignore[misc]
    schema = None

    def _missing(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound()

    get = post = put = patch = delete = options = _missing  # type: ignore[assignment]
