from django.urls import path

from xinghuo.volunteers.views import console as views

app_name = "volunteers_console"

urlpatterns = [
    path("", views.volunteer_list_view, name="volunteers"),
    path("export/", views.volunteer_export_view, name="volunteers_export"),
    path("people/<str:uid>/", views.volunteer_detail_view, name="volunteer"),
    path("people/<str:uid>/certificates/", views.certificate_issue_view, name="certificate_issue"),
    path("certificates/<str:uid>/pdf/", views.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<str:uid>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
    path("teams/", views.team_list_view, name="teams"),
    path("teams/new/", views.team_create_view, name="team_create"),
    path("teams/import/", views.team_import_view, name="team_import"),
    path("teams/import/template/", views.team_import_template_view, name="team_import_template"),
    path("teams/<str:uid>/", views.team_detail_view, name="team"),
    path("teams/<str:uid>/members/", views.member_add_view, name="member_add"),
    path("teams/<str:uid>/members/<str:person_uid>/remove/", views.member_remove_view, name="member_remove"),
    path("records/", views.record_list_view, name="records"),
    path("records/new/", views.record_create_view, name="record_create"),
    path("records/confirm/", views.records_confirm_view, name="records_confirm"),
    path("records/export/", views.record_export_view, name="records_export"),
    path("records/import/", views.import_view, name="records_import"),
    path("records/import/template/", views.import_template_view, name="records_import_template"),
    path("records/<str:uid>/delete/", views.record_delete_view, name="record_delete"),
    path("records/<str:uid>/unconfirm/", views.record_unconfirm_view, name="record_unconfirm"),
    path("commendations/", views.commendations_view, name="commendations"),
    path("commendations/export/", views.commendation_export_view, name="commendations_export"),
    path("commendations/rules/", views.commendation_rule_create_view, name="commendation_rule_create"),
    path("commendations/grant/", views.commendations_grant_view, name="commendations_grant"),
    path("stars/", views.award_list_view, name="awards"),
    path("stars/export/", views.award_export_view, name="awards_export"),
    path("stars/open/", views.stars_open_view, name="stars_open"),
    path("stars/award/", views.stars_award_view, name="stars_award"),
    path("stars/<str:uid>/", views.award_detail_view, name="award"),
    path("stars/<str:uid>/withdraw/", views.star_withdraw_view, name="star_withdraw"),
    path("stars/<str:uid>/objections/", views.objection_record_view, name="objection_record"),
    path("stars/<str:uid>/objections/<str:objection_uid>/decide/", views.objection_decide_view, name="objection_decide"),
]
