from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("mine/", views.my_clients, name="mine"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/purpose/", views.client_purpose, name="purpose"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/applications/new/", views.application_new, name="application_new"),
    path("<int:pk>/timeline/", views.client_timeline, name="timeline"),
    path("<int:pk>/access/", views.access_report, name="access_report"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("caseloads/<int:pk>/", views.caseload, name="caseload"),
    path("caseloads/<int:pk>/assign/", views.caseload_assign, name="caseload_assign"),
    path("caseloads/<int:pk>/hand-over/", views.caseload_handover, name="caseload_handover"),
]
