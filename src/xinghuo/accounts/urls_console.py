from django.urls import path

from xinghuo.accounts import console_views as views

app_name = "accounts_console"

urlpatterns = [
    path("users/", views.user_list_view, name="user_list"),
    path("users/export/", views.user_export_view, name="user_export"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<str:uid>/", views.user_detail_view, name="user_detail"),
    path("users/<str:uid>/grant/", views.user_grant_view, name="user_grant"),
    path("users/<str:uid>/active/", views.user_toggle_active_view, name="user_toggle_active"),
    path("users/<str:uid>/password/", views.user_reset_password_view, name="user_reset_password"),
    path("users/<str:uid>/reveal-phone/", views.user_reveal_phone_view, name="user_reveal_phone"),
    path("memberships/<str:uid>/revoke/", views.membership_revoke_view, name="membership_revoke"),
    path("tokens/", views.token_list_view, name="token_list"),
    path("tokens/<str:uid>/revoke/", views.token_revoke_view, name="token_revoke"),
]
