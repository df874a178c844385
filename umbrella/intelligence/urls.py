from django.urls import URLPattern, URLResolver, path

from umbrella.intelligence import views

app_name = "intelligence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/<int:profile_id>/", views.profile, name="profile"),
    path("profiles/<int:profile_id>/write/", views.profile_write, name="profile-write"),
    path("profiles/<int:profile_id>/pdf/", views.profile_download, name="profile-pdf"),
    path("suspects/", views.suspects, name="suspects"),
]
