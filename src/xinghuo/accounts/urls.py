from django.urls import path

from xinghuo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_view, name="otp"),
    path("password/", views.password_change_view, name="password_change"),
    path("register/", views.register_view, name="register"),
    path("switch-role/", views.switch_role_view, name="switch_role"),
]
