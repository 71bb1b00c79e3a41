from django.urls import path

from . import views, views_dashboard

app_name = "indicators"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("dashboard/", views_dashboard.indicator_dashboard, name="dashboard"),  # before <code>: "dashboard" is reserved
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<str:code>/export.csv", views.export_csv, name="export_csv"),
    path("<str:code>/targets/", views.targets, name="targets"),
]
