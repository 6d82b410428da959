from django.urls import path

from safeguard.cases import apis

urlpatterns = [
    path("cases", apis.CaseListApi.as_view(), name="cases"),
    path("cases/duplicates", apis.DuplicateCheckApi.as_view(), name="case-duplicates"),
    path("cases/<int:pk>", apis.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/timeline", apis.CaseTimelineApi.as_view(), name="case-timeline"),
    path("referrals", apis.ReferralListApi.as_view(), name="referrals"),
    path("referrals/<int:pk>/respond", apis.ReferralRespondApi.as_view(), name="referral-respond"),
]
