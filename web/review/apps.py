from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "web.review"
    label = "banzu_review"
    verbose_name = "初选审核"
