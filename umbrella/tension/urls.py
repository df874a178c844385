from django.urls import URLPattern, URLResolver, path

from umbrella.tension import views

app_name = "tension"

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event-new"),
]
