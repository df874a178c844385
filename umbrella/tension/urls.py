from django.urls import URLPattern, URLResolver, path

from umbrella.tension import views

app_name = "tension"

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event-new"),
    path("alerts/", views.alerts, name="alerts"),
    path("hotspots/", views.hotspots_view, name="hotspots"),
    path("log/", views.tension_log, name="log"),
    path("log/new/", views.tension_report_new, name="report-new"),
    path("log/<int:report_id>/share/", views.tension_report_share_view, name="report-share"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"),
]
