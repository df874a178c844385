from django.urls import URLPattern, URLResolver, path

from umbrella.screening import views

app_name = "screening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("models/", views.model_list, name="model-list"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("models/rollback/", views.model_rollback, name="model-rollback"),
    path("models/retrain/", views.model_retrain, name="model-retrain"),
    path("models/<int:model_id>/", views.model_card, name="model-card"),
    path("models/<int:model_id>/approve/", views.model_approve, name="model-approve"),
    path("models/<int:model_id>/reject/", views.model_reject, name="model-reject"),
]
