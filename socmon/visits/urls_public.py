"""Short public addresses for the client's rating codes (printed on the card): /r/ and /r/<code>/."""

from django.urls import path

from . import views_rating

app_name = "rating"
urlpatterns = [
    path("", views_rating.enter, name="enter"),
    path("thanks/", views_rating.thanks, name="thanks"),
    path("<str:token>/", views_rating.rate, name="rate"),
]
