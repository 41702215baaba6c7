from django.urls import path

from web.review import exports, views

urlpatterns = [
    path("", views.home, name="home"),
    path("roster/", views.roster, name="roster"),
    path("<int:year>/teams/", views.team_list, name="teams"),
    path("<int:year>/units/<str:name>/", views.unit_page, name="unit"),
    path("<int:year>/units/<str:name>/original", views.unit_original, name="unit_original"),
    path("<int:year>/units/<str:name>/pages/<int:page>.png", views.unit_page_image, name="unit_page_image"),
    path("<int:year>/units/<str:name>/pages/<int:page>/places/<int:index>.png", views.unit_place_image,
         name="unit_place_image"),
    path("<int:year>/units/<str:name>/followup", views.unit_followup, name="unit_followup"),
    path("<int:year>/teams/<str:team_id>/", views.team_page, name="team"),
    path("<int:year>/teams/<str:team_id>/files/<str:kind>", views.team_original, name="team_original"),
    path(
        "<int:year>/teams/<str:team_id>/files/<str:kind>/pages/<int:page>.png",
        views.team_page_image,
        name="team_page_image",
    ),
    path("<int:year>/teams/<str:team_id>/review", views.team_review, name="team_review"),
    path("<int:year>/<str:kind>/<str:object_id>/dismiss", views.finding_dismiss, name="finding_dismiss"),
    path("<int:year>/<str:kind>/<str:object_id>/restore", views.finding_restore, name="finding_restore"),
    path("<int:year>/<str:kind>/<str:object_id>/accept-late", views.accept_late, name="accept_late"),
    path("<int:year>/flags/", views.flags_queue, name="flags"),
    path("<int:year>/flags/<str:flag_id>/", views.flag_page, name="flag"),
    path("<int:year>/flags/<str:flag_id>/decide", views.flag_decide, name="flag_decide"),
    path("<int:year>/flags/<str:flag_id>/casefile.pdf", views.flag_casefile, name="flag_casefile"),
    path("<int:year>/flags/<str:flag_id>/<str:side>/original", views.flag_original, name="flag_original"),
    path(
        "<int:year>/flags/<str:flag_id>/<str:side>/<int:index>.png",
        views.flag_evidence_image,
        name="flag_evidence_image",
    ),
    path("<int:year>/audit/", views.audit, name="audit"),
    path("<int:year>/audit/<str:kind>/<str:object_id>/", views.audit, name="audit_object"),
    path("<int:year>/exports/shortlist.xlsx", exports.shortlist, name="export_shortlist"),
    path("<int:year>/exports/followup.xlsx", exports.followup_rows, name="export_followup_rows"),
    path("<int:year>/exports/followup/<str:name>.docx", exports.followup_unit, name="export_followup_unit"),
    path("<int:year>/exports/attachment3.xlsx", exports.attachment3, name="export_attachment3"),
]
