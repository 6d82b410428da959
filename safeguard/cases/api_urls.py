from django.urls import path

from safeguard.cases import apis, flag_apis, htcds_apis, merge_apis, note_apis, workflow_apis

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
    path("cases/<int:pk>/person", workflow_apis.CasePersonApi.as_view(), name="case-person"),
    path(
        "cases/<int:pk>/perpetrators", workflow_apis.CasePerpetratorsApi.as_view(), name="case-perpetrators"
    ),
    path("cases/<int:pk>/assessments", workflow_apis.CaseAssessmentsApi.as_view(), name="case-assessments"),
    path("cases/<int:pk>/care-plans", workflow_apis.CaseCarePlansApi.as_view(), name="case-care-plans"),
    path(
        "care-plans/<int:pk>/decision", workflow_apis.CarePlanDecisionApi.as_view(), name="care-plan-decision"
    ),
    path("cases/<int:pk>/transfers", workflow_apis.CaseTransfersApi.as_view(), name="case-transfers"),
    path("transfers", workflow_apis.TransferListApi.as_view(), name="transfers"),
    path("transfers/<int:pk>/answer", workflow_apis.TransferAnswerApi.as_view(), name="transfer-answer"),
    path("cases/<int:pk>/documents", workflow_apis.CaseDocumentsApi.as_view(), name="case-documents"),
    path("documents/<int:pk>", workflow_apis.DocumentDownloadApi.as_view(), name="document"),
    path("closure-checklist", workflow_apis.ChecklistApi.as_view(), name="closure-checklist"),
    path(
        "closure-checklist/<int:pk>/retire",
        workflow_apis.ChecklistRetireApi.as_view(),
        name="closure-checklist-retire",
    ),
    path("cases/<int:pk>/htcds", htcds_apis.CaseHtcdsApi.as_view(), name="case-htcds"),
    path("htcds/cases", htcds_apis.HtcdsExportApi.as_view(), name="htcds-cases"),
    path("htcds/imports", htcds_apis.HtcdsImportApi.as_view(), name="htcds-imports"),
]

# Flags, note corrections and merging, as on the case page (``flag_apis``, ``note_apis``, ``merge_apis``).
urlpatterns += [
    path("cases/<int:pk>/flags", flag_apis.CaseFlagsApi.as_view(), name="case-flags"),
    path("case-flags/<int:pk>/resolve", flag_apis.CaseFlagResolveApi.as_view(), name="case-flag-resolve"),
    path("case-notes/<int:pk>", note_apis.CaseNoteApi.as_view(), name="case-note"),
    path("cases/<int:pk>/merge", merge_apis.CaseMergeApi.as_view(), name="case-merge"),
]
