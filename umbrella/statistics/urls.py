from django.urls import URLPattern, URLResolver, path

from umbrella.statistics import views

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
]
