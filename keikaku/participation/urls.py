"""URLs of citizens' voices: public pages under /participation/ (namespace "participation")
and staff pages under /staff/participation/ (in the "staff" namespace)."""

from django.urls import path

from keikaku.participation import views, views_staff

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("receipts/<str:key>/", views.receipt, name="receipt"),
    path("comments/<int:pk>/", views.round_detail, name="round"),
    path("comments/<int:pk>/comment/", views.comment_new, name="comment_new"),
    path("comments/<int:pk>/materials/<int:material_id>/", views.material, name="material"),
    path("comments/<int:pk>/result/", views.result, name="result"),
    path("comments/<int:pk>/result.<str:fmt>", views.result_file, name="result_file"),
]

staff_urlpatterns = [
    path("participation/opinions/", views_staff.inbox, name="participation_inbox"),
    path(
        "participation/opinions/export.<str:fmt>",
        views_staff.inbox_export,
        name="participation_export",
    ),
    path("participation/opinions/new/", views_staff.opinion_new, name="participation_opinion_new"),
    path(
        "participation/opinions/<int:pk>/", views_staff.opinion_detail, name="participation_opinion"
    ),
    path(
        "participation/opinions/<int:pk>/personal/",
        views_staff.opinion_personal,
        name="participation_personal",
    ),
    path(
        "participation/personal-data/purge/",
        views_staff.purge_personal,
        name="participation_purge_personal",
    ),
    path("participation/hearings/", views_staff.hearing_list, name="participation_hearings"),
    path("participation/hearings/new/", views_staff.hearing_edit, name="participation_hearing_new"),
    path(
        "participation/hearings/<int:pk>/", views_staff.hearing_edit, name="participation_hearing"
    ),
    path("participation/rounds/", views_staff.round_list, name="participation_rounds"),
    path("participation/rounds/new/", views_staff.round_edit, name="participation_round_new"),
    path("participation/rounds/<int:pk>/", views_staff.round_detail, name="participation_round"),
    path(
        "participation/rounds/<int:pk>/settings/",
        views_staff.round_edit,
        name="participation_round_edit",
    ),
    path(
        "participation/rounds/<int:pk>/opinions/",
        views_staff.round_opinions,
        name="participation_round_opinions",
    ),
    path(
        "participation/rounds/<int:pk>/groups/<int:group_id>/",
        views_staff.group_edit,
        name="participation_group",
    ),
    path(
        "participation/rounds/<int:pk>/result/",
        views_staff.round_result,
        name="participation_round_result",
    ),
]
