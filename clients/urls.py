from django.urls import path

from clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("new/", views.client_create, name="client_create"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/permits/new/", views.permit_create, name="permit_create"),
    path("permits/<int:pk>/edit/", views.permit_edit, name="permit_edit"),
    path("<int:pk>/registrations/new/", views.registration_create, name="registration_create"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
]
