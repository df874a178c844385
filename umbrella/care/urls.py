from django.urls import URLPattern, URLResolver, path

from umbrella.care import views

app_name = "care"

urlpatterns: list[URLPattern | URLResolver] = [
    path("worklist/", views.worklist, name="worklist"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert-read"),
    path("records/<int:record_id>/referrals/new/", views.referral_create, name="referral-create"),
    path("records/<int:record_id>/contacts/new/", views.contact_create, name="contact-create"),
    path("records/<int:record_id>/key-events/new/", views.key_event_create, name="key-event-create"),
    path("records/<int:record_id>/eligibility/", views.eligibility, name="eligibility"),
    path("referrals/incoming/", views.referrals_incoming, name="referrals-incoming"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral-accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral-decline"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral-close"),
]
