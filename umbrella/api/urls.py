from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView

from umbrella.api import views

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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
