from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinghuo.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from xinghuo.accounts import signals  # noqa: F401  (audit of sign-ins, failures and lockouts)
