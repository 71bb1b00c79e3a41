from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/close/", views.close, name="close"),
    path("client/<int:client_pk>/<int:pk>/confirm/", views.confirm_for_client, name="confirm_for_client"),
]
