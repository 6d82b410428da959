from django.urls import path

from safeguard.customfields import apis

urlpatterns = [
    path("custom-fields", apis.CustomFieldDefinitionsApi.as_view(), name="custom-fields"),
    path("cases/<int:pk>/custom-fields", apis.CaseCustomFieldsApi.as_view(), name="case-custom-fields"),
]
