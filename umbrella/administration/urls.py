from __future__ import annotations

from django.urls import path

from umbrella.administration import views

app_name = "administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/add/", views.organisation_add, name="organisation-add"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path("organisations/<int:organisation_id>/users/add/", views.user_add, name="user-add"),
    path("organisations/<int:organisation_id>/teams/add/", views.team_add, name="team-add"),
    path("organisations/<int:organisation_id>/two-factor/", views.organisation_two_factor, name="organisation-two-factor"),
    path("system-administrators/add/", views.system_admin_add, name="system-admin-add"),
    path("users/<int:user_id>/", views.user_edit, name="user-edit"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:user_id>/password/", views.user_password, name="user-password"),
    path("teams/<int:team_id>/", views.team_edit, name="team-edit"),
]
