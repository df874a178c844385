from django.urls import include, path

from umbrella.core import health

urlpatterns = [
    # For the platform running Umbrella: see umbrella/core/health.py.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include("umbrella.cases.urls")),
    path("accounts/", include("umbrella.accounts.urls")),
    path("accounts/passkeys/api/", include("umbrella.accounts.passkeys")),
    # Each app's endpoints under /api/v1/, before the API's own URLconf and its catch-all 404.
    path("api/v1/", include("umbrella.cases.api")),
    path("api/v1/", include("umbrella.reference.api")),
    path("api/v1/", include("umbrella.care.api")),
    path("api/v1/", include("umbrella.outcomes.api")),
    path("api/v1/", include("umbrella.statistics.api")),
    path("api/v1/", include("umbrella.api.urls")),
    path("audit/", include("umbrella.audit_search.urls")),
    path("reference-data/", include("umbrella.reference.urls")),
    path("exports/", include("umbrella.imports.urls")),
    path("manage/", include("umbrella.administration.urls")),
    path("report/", include("umbrella.reporting.urls")),
    path("intake/", include("umbrella.intake.urls")),
    path("review/", include("umbrella.review.urls")),
    path("indicators/", include("umbrella.indicators.urls")),
    path("screening/", include("umbrella.screening.urls")),
    path("risk/", include("umbrella.risk.urls")),
    path("conferences/", include("umbrella.conferences.urls")),
    path("care/", include("umbrella.care.urls")),
    path("outcomes/", include("umbrella.outcomes.urls")),
    path("statistics/", include("umbrella.statistics.urls")),
    path("scrutiny/", include("umbrella.scrutiny.urls")),
    path("tension/", include("umbrella.tension.urls")),
    path("retention/", include("umbrella.retention.urls")),
    path("subject-access/", include("umbrella.subject_access.urls")),
    path("intelligence/", include("umbrella.intelligence.urls")),
    path("open-data/", include("umbrella.statistics.open_data_urls")),
]
