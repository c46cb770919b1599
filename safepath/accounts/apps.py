from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safepath.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
