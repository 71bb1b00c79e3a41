from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_new, name="new"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/dashboard/", views.programme_dashboard, name="dashboard"),
    path("<int:pk>/stage/", views.programme_stage, name="stage"),
    path("<int:pk>/plan/start/", views.plan_start, name="plan_start"),
    path("<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/add/<slug:part>/", views.plan_add, name="plan_add"),
    path("<int:pk>/plan/<slug:part>/<int:item_pk>/remove/", views.plan_remove, name="plan_remove"),
    path("<int:pk>/plan/resource/<int:item_pk>/", views.resource_edit, name="resource_edit"),
    path("<int:pk>/plan/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/plan/decide/", views.plan_decide, name="plan_decide"),
    path("<int:pk>/versions/compare/", views.version_compare, name="compare"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/evaluation/", views.evaluation_new, name="evaluation_new"),
]
