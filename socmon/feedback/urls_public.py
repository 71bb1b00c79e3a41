"""Public feedback pages, beside the rating pages: /r/feedback/…"""

from django.urls import path

from . import views_public

app_name = "feedback_public"
urlpatterns = [
    path("", views_public.send, name="send"),
    path("track/", views_public.track_enter, name="track_enter"),
    path("track/<str:code>/", views_public.track, name="track"),
    path("card/", views_public.code_enter, name="code_enter"),
    path("card/<str:token>/", views_public.client, name="client"),
]
