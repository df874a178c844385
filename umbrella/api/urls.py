from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from umbrella.api import views


def schema(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The OpenAPI document. drf-spectacular's generator is imported on the first request, not
    when the URLconf loads: it costs about 0.45 s, which every command's system checks would pay."""
    from drf_spectacular.views import SpectacularAPIView

    response: HttpResponse = SpectacularAPIView.as_view()(request, *args, **kwargs)
    return response

app_name = "api"

# Each app's endpoints are included before this URLconf (umbrella/urls.py): these are the schema
# and the 404 problem for any other address under /api/v1/.

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", schema, name="schema"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
