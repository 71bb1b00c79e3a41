from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<str:code>/export.csv", views.export_csv, name="export_csv"),
    path("<str:code>/targets/", views.targets, name="targets"),
]
