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

urlpatterns: list[URLPattern | URLResolver] = [
    path("records/", views.RecordListCreate.as_view(), name="record-list"),
    path("records/<int:record_id>/", views.RecordDetail.as_view(), name="record-detail"),
    path("records/<int:record_id>/status/", views.RecordStatusChange.as_view(), name="record-status"),
    path("records/<int:record_id>/strands/", views.RecordStrandAdd.as_view(), name="record-strands"),
    path(
        "records/<int:record_id>/strands/<int:strand_id>/",
        views.RecordStrandRemove.as_view(),
        name="record-strand-remove",
    ),
    path("records/<int:record_id>/offences/", views.RecordOffenceAdd.as_view(), name="record-offences"),
    path("records/<int:record_id>/people/", views.RecordPersonAdd.as_view(), name="record-people"),
    path("records/<int:record_id>/links/", views.RecordLinkAdd.as_view(), name="record-links"),
    path("reference/", views.ReferenceSchemes.as_view(), name="reference-schemes"),
    path("reference/<slug:scheme>/", views.ReferenceCodes.as_view(), name="reference-codes"),
    path("schema/", schema, name="schema"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
