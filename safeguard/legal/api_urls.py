from django.urls import path

from safeguard.legal import apis

urlpatterns = [
    path("legal/instruments", apis.InstrumentListApi.as_view(), name="legal-instruments"),
    path("legal/jurisdictions", apis.JurisdictionListApi.as_view(), name="legal-jurisdictions"),
    path("legal/jurisdictions/<str:code>", apis.JurisdictionProfileApi.as_view(), name="legal-jurisdiction"),
    path("legal/cases/<int:case_id>/matters", apis.CaseMattersApi.as_view(), name="legal-case-matters"),
    path("legal/matters/<int:pk>", apis.MatterDetailApi.as_view(), name="legal-matter"),
    path("legal/matters/<int:pk>/hearings", apis.MatterHearingsApi.as_view(), name="legal-matter-hearings"),
]
