from django.urls import path

from umbrella.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.version_list, name="versions"),
    path("new-draft/", views.draft_create, name="draft-create"),
    path("try/", views.try_it, name="try"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:number>/activate/", views.version_activate, name="version-activate"),
    path("versions/<int:number>/rules/add/", views.rule_add, name="rule-add"),
    path("versions/<int:number>/rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
    path("versions/<int:number>/rules/<int:pk>/retire/", views.rule_retire, name="rule-retire"),
]
