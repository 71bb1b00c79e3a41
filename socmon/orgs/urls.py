from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/add/", views.unit_add_child, name="add_child"),
    path("units/<int:pk>/edit/", views.unit_edit, name="edit"),
    path("units/<int:pk>/move/", views.unit_move, name="move"),
    path("units/<int:pk>/people/new/", views.person_new, name="person_new"),
    path("units/<int:pk>/roles/add/", views.membership_add, name="membership_add"),
    path("roles/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/password/", views.person_password_reset, name="password_reset"),
]
