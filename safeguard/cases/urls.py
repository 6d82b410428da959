from django.urls import path

from safeguard.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list_view, name="list"),
    path("cases/new/", views.register, name="register"),
    path("cases/home/", views.home, name="home"),
    path("cases/supervision/", views.supervision, name="supervision"),
    path("cases/export/", views.export, name="export"),
    path("cases/import/", views.import_view, name="import"),
    path("cases/teams/", views.teams, name="teams"),
    path("cases/teams/<int:pk>/", views.team_members, name="team_members"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/person/", views.person_edit, name="person_edit"),
    path("cases/<int:pk>/perpetrators/new/", views.perpetrator_new, name="perpetrator_new"),
    path("cases/<int:pk>/assessment/", views.assess, name="assess"),
    path("cases/<int:pk>/plan/", views.plan, name="plan"),
    path("cases/<int:pk>/consents/new/", views.consent_new, name="consent_new"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("cases/<int:pk>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("cases/<int:pk>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("cases/<int:pk>/close/", views.closure_request, name="closure_request"),
    path("cases/<int:pk>/close/decide/", views.closure_decide, name="closure_decide"),
    path("cases/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("cases/<int:pk>/transfer/", views.transfer_new, name="transfer_new"),
    path("cases/<int:pk>/merge/", views.merge, name="merge"),
    path("cases/plans/<int:pk>/decide/", views.plan_decide, name="plan_decide"),
    path("cases/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("cases/follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("cases/transfers/<int:pk>/", views.transfer_respond, name="transfer_respond"),
    path("cases/tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("referrals/", views.referral_inbox, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
]
