"""The client's survey link: /survey/<nonce>/ (printed as a QR code on the invitation)."""

from django.urls import path

from . import views_public

app_name = "survey"
urlpatterns = [
    path("thanks/", views_public.thanks, name="thanks"),
    path("<str:nonce>/", views_public.answer, name="answer"),
]
