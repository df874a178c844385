from django.urls import URLPattern, URLResolver, path

from umbrella.review import views

app_name = "review"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/claim/", views.claim, name="claim"),
    path("items/<int:item_id>/release/", views.release, name="release"),
]
