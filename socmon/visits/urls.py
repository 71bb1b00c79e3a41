from django.urls import path

from . import views_day, views_field, views_live, views_reports

app_name = "visits"
urlpatterns = [
    # The worker in the field and the client's card (visits, part a).
    path("check-in/", views_field.check_in, name="check_in"),
    path("check-in/without-card/<int:client_pk>/", views_field.check_in_without_card, name="check_in_without_card"),
    path("<int:pk>/", views_field.visit_detail, name="visit"),
    path("<int:pk>/services/", views_field.record_service, name="record_service"),
    path("<int:pk>/check-out/", views_field.check_out, name="check_out"),
    path("<int:pk>/cancel/", views_field.cancel, name="cancel_visit"),
    path("<int:pk>/services/<int:delivery_pk>/", views_field.service_edit, name="service_edit"),
    path("<int:pk>/services/<int:delivery_pk>/remove/", views_field.service_remove, name="service_remove"),
    path("cards/caseload/", views_field.cards_caseload, name="cards_caseload"),
    path("cards/without-card/", views_field.cards_without_card, name="cards_without_card"),
    path("cards/<int:client_pk>/", views_field.card, name="card"),
    path("cards/<int:client_pk>/issue/", views_field.card_issue, name="card_issue"),
    path("cards/<int:client_pk>/card.pdf", views_field.card_pdf, name="card_pdf"),
    # The worker's day, the head's live view and reports (visits, part b).
    path("day/", views_day.my_day, name="my_day"),
    path("day/<int:worker_pk>/", views_day.worker_day, name="worker_day"),
    path("day/<int:worker_pk>/plan/", views_day.plan, name="plan_day"),
    path("day/<int:worker_pk>/add/", views_day.add, name="add_visit"),
    path("<int:pk>/move/", views_day.move, name="move_visit"),
    path("live/", views_live.live_index, name="live_index"),
    path("live/<int:unit_pk>/", views_live.live, name="live"),
    path("<int:pk>/flags/<slug:kind>/check/", views_live.check_visit_flag, name="check_visit_flag"),
    path("day/<int:worker_pk>/flags/<slug:kind>/check/", views_live.check_worker_flag, name="check_worker_flag"),
    path("reports/", views_reports.report, name="report"),
    path("reports/export.xlsx", views_reports.report_export, name="report_export"),
]
