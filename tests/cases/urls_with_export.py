"""The site's pages plus a stand-in for the CSV export route (``imports:records-csv``), so the
record list's download link can be tested whether or not the real export view is wired yet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def _export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reference\n", content_type="text/csv")


urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("umbrella.cases.urls")),
    path("accounts/", include("umbrella.accounts.urls")),
    path("exports/", include(([path("records.csv", _export, name="records-csv")], "imports"))),
]
