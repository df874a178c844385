from django.urls import URLPattern, URLResolver, path

from umbrella.scrutiny import views

app_name = "scrutiny"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("cases/<int:case_id>/", views.case, name="case"),
]
