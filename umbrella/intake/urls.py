from django.urls import URLPattern, URLResolver, path

from umbrella.intake import views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("triage/", views.triage, name="triage"),
    path("new/", views.centre_intake, name="new"),
    path("reports/<int:report_id>/", views.report_detail, name="report-detail"),
    path("reports/<int:report_id>/claim/", views.report_claim, name="report-claim"),
    path("reports/<int:report_id>/release/", views.report_release, name="report-release"),
    path("reports/<int:report_id>/accept/", views.report_accept, name="report-accept"),
    path("reports/<int:report_id>/link/", views.report_link, name="report-link"),
    path("reports/<int:report_id>/merge/", views.report_merge, name="report-merge"),
    path("reports/<int:report_id>/close/", views.report_close, name="report-close"),
    path("reports/<int:report_id>/notes/", views.report_note, name="report-note"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/", views.report_evidence, name="report-evidence"),
    path("records/<int:record_id>/notes/", views.record_notes, name="record-notes"),
    path("records/<int:record_id>/consent/", views.record_consent, name="record-consent"),
    path("records/<int:record_id>/consent/withdraw/", views.record_consent_withdraw, name="record-consent-withdraw"),
]
