from django.urls import path

from . import views_day, views_live, views_reports

app_name = "visits"
urlpatterns = [
    # The worker's day, the head's live view and reports (visits, part b).
    path("day/", views_day.my_day, name="my_day"),
    path("day/<int:worker_pk>/", views_day.worker_day, name="worker_day"),
    path("day/<int:worker_pk>/plan/", views_day.plan, name="plan_day"),
    path("day/<int:worker_pk>/add/", views_day.add, name="add_visit"),
    path("<int:pk>/move/", views_day.move, name="move_visit"),
    path("live/", views_live.live_index, name="live_index"),
    path("live/<int:unit_pk>/", views_live.live, name="live"),
    path("reports/", views_reports.report, name="report"),
    path("reports/export.xlsx", views_reports.report_export, name="report_export"),
]
