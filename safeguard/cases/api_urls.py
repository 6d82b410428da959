from django.urls import path

from safeguard.cases import apis

urlpatterns = [
    path("cases", apis.CaseListApi.as_view(), name="cases"),
    path("cases/duplicates", apis.DuplicateCheckApi.as_view(), name="case-duplicates"),
    path("cases/<int:pk>", apis.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/timeline", apis.CaseTimelineApi.as_view(), name="case-timeline"),
    path("cases/<int:pk>/notes", apis.CaseNotesApi.as_view(), name="case-notes"),
    path("cases/<int:pk>/closure", apis.CaseClosureRequestApi.as_view(), name="case-closure"),
    path(
        "cases/<int:pk>/closure/decision", apis.CaseClosureDecisionApi.as_view(), name="case-closure-decision"
    ),
    path("cases/<int:pk>/reopen", apis.CaseReopenApi.as_view(), name="case-reopen"),
    path("cases/<int:pk>/follow-ups", apis.CaseFollowUpsApi.as_view(), name="case-follow-ups"),
    path("cases/<int:pk>/milestones", apis.CaseMilestonesApi.as_view(), name="case-milestones"),
    path("follow-ups/<int:pk>/record", apis.FollowUpRecordApi.as_view(), name="follow-up-record"),
    path("cases/<int:pk>/consents", apis.CaseConsentsApi.as_view(), name="case-consents"),
    path("consents/<int:pk>/withdraw", apis.ConsentWithdrawApi.as_view(), name="consent-withdraw"),
    path("tasks", apis.TaskListApi.as_view(), name="tasks"),
    path("tasks/<int:pk>/done", apis.TaskDoneApi.as_view(), name="task-done"),
    path("referrals", apis.ReferralListApi.as_view(), name="referrals"),
    path("referrals/<int:pk>/respond", apis.ReferralRespondApi.as_view(), name="referral-respond"),
]
