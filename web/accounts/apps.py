from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "web.accounts"
    label = "banzu_accounts"
    verbose_name = "账户"
