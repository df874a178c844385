from django.urls import URLPattern, URLResolver, path

from umbrella.outcomes import views

app_name = "outcomes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("records/<int:record_id>/new/", views.outcome_add, name="outcome-add"),
    path("records/<int:record_id>/charging/new/", views.charging_add, name="charging-add"),
    path("records/<int:record_id>/court/new/", views.court_add, name="court-add"),
    path("records/<int:record_id>/hearings/new/", views.hearing_add, name="hearing-add"),
    path("records/<int:record_id>/right-to-review/new/", views.review_request, name="review-request"),
    path("right-to-review/<int:review_id>/result/", views.review_decide, name="review-decide"),
    path("funnel/", views.funnel, name="funnel"),
]
