from __future__ import annotations

from django.urls import path

from umbrella.reference import views

app_name = "reference"

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("versions/", views.version_list, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("<slug:scheme>/", views.scheme_detail, name="scheme"),
    path("<slug:scheme>/add/", views.code_add, name="code-add"),
    path("<slug:scheme>/<int:pk>/edit/", views.code_edit, name="code-edit"),
    path("<slug:scheme>/<int:pk>/retire/", views.code_retire, name="code-retire"),
    path("<slug:scheme>/codes/<str:code>/", views.code_history, name="code-history"),
]
