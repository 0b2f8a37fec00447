from django.urls import path

from xinghuo.certification import views

app_name = "certification_console"

urlpatterns = [
    path("", views.application_list_view, name="list"),
    path("export/", views.application_export_view, name="export"),
    path("new/", views.application_create_view, name="create"),
    path("standards/", views.standard_list_view, name="standards"),
    path("standards/export/", views.standard_export_view, name="standards_export"),
    path("standards/<str:uid>/", views.standard_detail_view, name="standard"),
    path("standards/<str:uid>/version/", views.standard_version_view, name="standard_version"),
    path("standards/<str:uid>/activate/", views.standard_activate_view, name="standard_activate"),
    path("reviews/", views.review_list_view, name="reviews"),
    path("reviews/export/", views.review_export_view, name="reviews_export"),
    path("reviews/<str:uid>/", views.review_detail_view, name="review"),
    path("reviews/<str:uid>/report/", views.review_report_view, name="review_report"),
    path("reviews/<str:uid>/spot-check/", views.review_spot_check_view, name="review_spot_check"),
    path("reviews/<str:uid>/decide/", views.review_decide_view, name="review_decide"),
    path("files/<str:uid>/", views.evidence_download_view, name="evidence"),
    path("files/<str:uid>/delete/", views.evidence_delete_view, name="evidence_delete"),
    path("<str:uid>/", views.application_detail_view, name="detail"),
    path("<str:uid>/self-assessment/", views.self_assessment_view, name="self_assessment"),
    path("<str:uid>/evidence/", views.evidence_upload_view, name="evidence_upload"),
    path("<str:uid>/submit/", views.submit_view, name="submit"),
    path("<str:uid>/withdraw/", views.withdraw_view, name="withdraw"),
    path("<str:uid>/county-review/", views.county_review_view, name="county_review"),
    path("<str:uid>/city-review/", views.city_review_view, name="city_review"),
    path("<str:uid>/objections/", views.objection_record_view, name="objection_record"),
    path("<str:uid>/objections/<str:objection_uid>/answer/", views.objection_answer_view, name="objection_answer"),
    path("<str:uid>/decide/", views.decide_view, name="decide"),
]
