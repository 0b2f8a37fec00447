from django.urls import path

from xinghuo.worklist import views

app_name = "worklist_console"

urlpatterns = [
    path("", views.plan_list_view, name="plans"),
    path("mine/", views.my_actions_view, name="mine"),
    path("tasks/<str:uid>/", views.task_view, name="task"),
    path("actions/<str:uid>/", views.action_update_view, name="action_update"),
    path("plans/<slug:code>/", views.plan_view, name="plan"),
    path("plans/<slug:code>/export/", views.plan_export_view, name="plan_export"),
]
