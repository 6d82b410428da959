from django.urls import path

from safeguard.tracing import views

app_name = "tracing"

urlpatterns = [
    path("tracing/", views.overview, name="overview"),
    path("cases/<int:pk>/tracing/new/", views.request_new, name="request_new"),
    path("tracing/requests/<int:pk>/", views.request_detail, name="request"),
    path("tracing/requests/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("tracing/requests/<int:pk>/search/", views.search_again, name="search_again"),
    path("tracing/requests/<int:pk>/assessment/new/", views.assessment_new, name="assessment_new"),
    path("tracing/requests/<int:pk>/reunify/", views.reunify, name="reunify"),
    path("tracing/requests/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("tracing/requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("tracing/matches/<int:pk>/decide/", views.match_decide_view, name="match_decide"),
    path("tracing/enquiries/new/", views.enquiry_new, name="enquiry_new"),
    path("tracing/enquiries/<int:pk>/", views.enquiry_detail, name="enquiry"),
    path("tracing/enquiries/<int:pk>/close/", views.enquiry_close_view, name="enquiry_close"),
]
