from django.urls import path

from xinghuo.worklist import views
from xinghuo.worklist import views_planning as pv
from xinghuo.worklist import views_reminders as rv
from xinghuo.worklist import views_supervision as sv

app_name = "worklist_console"

urlpatterns = [
    path("", views.plan_list_view, name="plans"),
    path("mine/", views.my_actions_view, name="mine"),
    path("tasks/<str:uid>/", views.task_view, name="task"),
    path("tasks/<str:uid>/edit/", pv.task_edit_view, name="task_edit"),
    path("tasks/<str:uid>/weights/", pv.task_weights_view, name="task_weights"),
    path("actions/<str:uid>/", views.action_update_view, name="action_update"),
    path("plans/new/", pv.plan_create_view, name="plan_create"),
    path("plans/<slug:code>/", views.plan_view, name="plan"),
    path("plans/<slug:code>/status/", pv.plan_status_view, name="plan_status"),
    path("plans/<slug:code>/tasks/new/", pv.task_create_view, name="task_create"),
    path("plans/<slug:code>/export/", views.plan_export_view, name="plan_export"),
    path("plans/<slug:code>/filing/", sv.filing_create_view, name="filing_create"),
    path("plans/<slug:code>/filing-due/", sv.plan_filing_due_view, name="plan_filing_due"),
    path("filings/", sv.filing_list_view, name="filings"),
    path("filings/<str:uid>/", sv.filing_view, name="filing"),
    path("filings/<str:uid>/decide/", sv.filing_decide_view, name="filing_decide"),
    path("reports/", sv.report_list_view, name="reports"),
    path("reports/export/", sv.report_export_view, name="report_export"),
    path("reports/<str:uid>/", sv.report_view, name="report"),
    path("reports/<str:uid>/exemplary/", sv.report_exemplary_view, name="report_exemplary"),
    path("practices/", sv.exemplary_view, name="exemplary"),
    path("notices/", sv.notice_list_view, name="notices"),
    path("notices/<str:uid>/", sv.notice_view, name="notice"),
    path("notices/<str:uid>/answer/", sv.notice_answer_view, name="notice_answer"),
    path("notices/<str:uid>/close/", sv.notice_close_view, name="notice_close"),
    path("attachments/<str:uid>/", sv.attachment_view, name="attachment"),
    path("attachments/<str:uid>/delete/", sv.attachment_delete_view, name="attachment_delete"),
    path("reminders/", rv.reminder_list_view, name="reminders"),
    path("reminders/export/", rv.reminder_export_view, name="reminder_export"),
    path("reminders/read-all/", rv.reminder_read_all_view, name="reminder_read_all"),
    path("reminders/<str:uid>/read/", rv.reminder_read_view, name="reminder_read"),
]
