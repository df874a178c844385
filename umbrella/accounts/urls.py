from django.urls import path

from umbrella.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("passkeys/", views.passkeys, name="passkeys"),
    path("single-sign-on/<slug:slug>/", views.single_sign_on_start, name="single-sign-on"),
    path("single-sign-on/<slug:slug>/return/", views.single_sign_on_return, name="single-sign-on-return"),
]
