from django.urls import path

from safeguard.customfields import views

app_name = "customfields"

urlpatterns = [
    path("organisation/fields/", views.field_list, name="list"),
    path("organisation/fields/new/", views.field_new, name="new"),
    path("organisation/fields/<int:pk>/", views.field_edit, name="edit"),
    path("organisation/fields/<int:pk>/retire/", views.field_retire_view, name="retire"),
    path("organisation/fields/<int:pk>/restore/", views.field_restore_view, name="restore"),
]
