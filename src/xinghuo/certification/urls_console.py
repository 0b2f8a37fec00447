from django.urls import path

from xinghuo.certification.views import applications, reviews, standards

app_name = "certification_console"

urlpatterns = [
    path("", applications.application_list_view, name="list"),
    path("export/", applications.application_export_view, name="export"),
    path("new/", applications.application_create_view, name="create"),
    path("standards/", standards.standard_list_view, name="standards"),
    path("standards/export/", standards.standard_export_view, name="standards_export"),
    path("standards/<str:uid>/", standards.standard_detail_view, name="standard"),
    path("standards/<str:uid>/version/", standards.standard_version_view, name="standard_version"),
    path("standards/<str:uid>/activate/", standards.standard_activate_view, name="standard_activate"),
    path("reviews/", reviews.review_list_view, name="reviews"),
    path("reviews/export/", reviews.review_export_view, name="reviews_export"),
    path("reviews/<str:uid>/", reviews.review_detail_view, name="review"),
    path("reviews/<str:uid>/report/", reviews.review_report_view, name="review_report"),
    path("reviews/<str:uid>/spot-check/", reviews.review_spot_check_view, name="review_spot_check"),
    path("reviews/<str:uid>/decide/", reviews.review_decide_view, name="review_decide"),
    path("files/<str:uid>/", applications.evidence_download_view, name="evidence"),
    path("files/<str:uid>/delete/", applications.evidence_delete_view, name="evidence_delete"),
    path("<str:uid>/", applications.application_detail_view, name="detail"),
    path("<str:uid>/self-assessment/", applications.self_assessment_view, name="self_assessment"),
    path("<str:uid>/evidence/", applications.evidence_upload_view, name="evidence_upload"),
    path("<str:uid>/submit/", applications.submit_view, name="submit"),
    path("<str:uid>/withdraw/", applications.withdraw_view, name="withdraw"),
    path("<str:uid>/county-review/", applications.county_review_view, name="county_review"),
    path("<str:uid>/city-review/", applications.city_review_view, name="city_review"),
    path("<str:uid>/objections/", applications.objection_record_view, name="objection_record"),
    path("<str:uid>/objections/<str:objection_uid>/answer/", applications.objection_answer_view, name="objection_answer"),
    path("<str:uid>/decide/", applications.decide_view, name="decide"),
]
