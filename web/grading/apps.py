from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "web.grading"
    label = "web_grading"
    verbose_name = "专家评审"
