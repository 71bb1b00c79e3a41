from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("mine/", views.mine, name="mine"),
    path("units/<int:unit_pk>/new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/invite/", views.campaign_invite, name="campaign_invite"),
    path("<int:pk>/slips/", views.slips, name="slips"),
    path("<int:pk>/results/", views.campaign_results, name="results"),
    path("<int:pk>/responses.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/responses.csv", views.export_csv, name="export_csv"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("invitations/<int:pk>/mode/", views.invitation_mode, name="invitation_mode"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
]
