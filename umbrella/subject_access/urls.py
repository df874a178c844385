from django.urls import path

from umbrella.subject_access import views

app_name = "subject_access"

urlpatterns = [
    path("", views.requests, name="requests"),
    path("new/", views.new, name="new"),
    path("<int:request_id>/", views.request_page, name="request"),
    path("<int:request_id>/matches/<int:match_id>/", views.match, name="match"),
    path("<int:request_id>/extend/", views.extend, name="extend"),
    path("<int:request_id>/bundle.pdf", views.bundle, {"form": "pdf"}, name="bundle-pdf"),
    path("<int:request_id>/bundle.json", views.bundle, {"form": "json"}, name="bundle-json"),
]
