from django.contrib.auth import views as auth_views
from django.urls import path

from keikaku.accounts import views

staff_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account_security, name="account_security"),
    path("account/two-factor/", views.totp_enable, name="account_totp_enable"),
    path("account/two-factor/disable/", views.totp_disable, name="account_totp_disable"),
    path("account/password/", views.password_change, name="password_change"),
    path("security/locks/", views.login_locks, name="login_locks"),
]
