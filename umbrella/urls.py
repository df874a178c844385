from django.urls import include, path

urlpatterns = [
    path("", include("umbrella.web.urls")),
    path("accounts/", include("umbrella.accounts.urls")),
    path("api/v1/", include("umbrella.api.urls")),
    path("audit/", include("umbrella.audit.urls")),
    path("reference-data/", include("umbrella.reference.urls")),
    path("exports/", include("umbrella.imports.urls")),
    path("manage/", include("umbrella.agencies.urls")),
]
