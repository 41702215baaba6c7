from django.urls import path

from web.grading import views

urlpatterns = [
    path("grading/", views.start, name="grading"),
    path("grading/experts/", views.pool, name="grading_pool"),
    path("grading/experts/import", views.pool_import, name="grading_pool_import"),
    path("grading/experts/edit", views.pool_edit, name="grading_pool_edit"),
    path("grading/<int:year>/", views.overview, name="grading_overview"),
    path("grading/<int:year>/teams/<str:team_id>/", views.team, name="grading_team"),
    path("grading/<int:year>/teams/<str:team_id>/score", views.score, name="grading_score"),
    path("grading/<int:year>/teams/<str:team_id>/presentation", views.presentation, name="grading_presentation"),
    path("grading/<int:year>/teams/<str:team_id>/files/<str:kind>", views.team_file, name="grading_file"),
    path("grading/<int:year>/teams/<str:team_id>/files/<str:kind>/pages/<int:page>.png", views.team_page_image,
         name="grading_page"),
    path("grading/<int:year>/groups/<int:no>/", views.group, name="grading_group"),
    path("grading/<int:year>/groups/<int:no>/submit", views.group_submit, name="grading_group_submit"),
    path("grading/<int:year>/groups/<int:no>/reopen", views.group_reopen, name="grading_group_reopen"),
    path("grading/<int:year>/presentations", views.presentations_import, name="grading_presentations"),
    path("grading/<int:year>/results/", views.results, name="grading_results"),
    path("grading/<int:year>/results/<str:action>", views.results_transition, name="grading_transition"),
    path("grading/<int:year>/exports/<str:kind>.xlsx", views.export, name="grading_export"),
]
