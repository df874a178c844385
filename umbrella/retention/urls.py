from django.urls import path

from umbrella.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("register/", views.register, name="register"),
    path("schedule/", views.schedule_page, name="schedule"),
    path("records/<int:record_id>/holds/", views.hold_place, name="hold-place"),
    path("holds/<int:hold_id>/lift/", views.hold_lift, name="hold-lift"),
]
