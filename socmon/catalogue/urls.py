from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.service_list, name="services"),
    path("services/add/", views.service_add, name="service_add"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
]
