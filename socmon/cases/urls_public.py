"""The outside organisation's referral link (socmon.cases.links): public, the signed code is the authority."""

from django.urls import path

from . import views_link

app_name = "referral_link"
urlpatterns = [
    path("thanks/", views_link.thanks, name="thanks"),
    path("<str:token>/", views_link.answer, name="answer"),
]
