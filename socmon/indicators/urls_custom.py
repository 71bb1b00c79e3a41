from django.urls import path

from . import views_custom

app_name = "indicators_custom"
urlpatterns = [
    path("", views_custom.definition_list, name="list"),
    path("new/", views_custom.indicator_new, name="new"),
    path("<slug:code>/replace/", views_custom.indicator_replace, name="replace"),
    path("<slug:code>/retire/", views_custom.indicator_retire, name="retire"),
]
