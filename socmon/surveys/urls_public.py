# A stand-in: the public answer page (`surveys_public:answer`) comes with the public survey pages (h12);
# at merge their urls_public.py replaces this file.
from django.urls import path

from . import views

app_name = "surveys_public"
urlpatterns = [
    path("<str:nonce>/", views.answer_placeholder, name="answer"),
]
