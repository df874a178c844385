from django.urls import URLPattern, URLResolver, path

from umbrella.statistics import views

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("pack/", views.pack, name="pack"),
    path("standards/", views.standards, name="standards"),
    path("releases/", views.releases, name="releases"),
    path("releases/new/", views.release_new, name="release-new"),
    path("releases/<int:number>/publish/", views.release_publish_view, name="release-publish"),
]
