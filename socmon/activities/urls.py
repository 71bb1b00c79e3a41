from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export/", views.export, name="export"),
    path("summary/", views.summary, name="summary"),
    path("new/", views.activity_new, name="new"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/remove/", views.activity_remove, name="remove"),
    path("<int:pk>/attend/", views.attend, name="attend"),
    path("<int:pk>/attend/pick/", views.attend_pick, name="attend_pick"),
    path("<int:pk>/attendance/<int:attendance_pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("<int:pk>/others/", views.others, name="others"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
]
