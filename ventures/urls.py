from django.urls import path

from . import views

app_name = "ventures"

urlpatterns = [
    path("", views.venture_list_page, name="list"),
    path("export.csv", views.venture_export, name="export"),
    path("board/", views.board, name="board"),
    path("board/column/<int:stage_id>/", views.board_column, name="board_column"),
    path("mine/", views.my_ventures, name="mine"),
    path("new/", views.venture_create_page, name="create"),
    path("<int:pk>/", views.venture_detail, name="detail"),
    path("<int:pk>/card/", views.venture_card, name="card"),
    path("<int:pk>/timeline/", views.venture_timeline_page, name="timeline"),
    path("<int:pk>/activity/", views.venture_activity_log, name="activity"),
    path("<int:pk>/edit/", views.venture_edit, name="edit"),
    path("<int:pk>/move/", views.venture_move_view, name="move"),
    path("<int:pk>/status/", views.venture_status, name="status"),
    path("<int:pk>/notes/", views.venture_note_add_view, name="note_add"),
    path("<int:pk>/changes/<int:change_id>/revert/", views.venture_revert, name="revert"),
    path("<int:pk>/gate/<int:condition_id>/", views.gate_confirm, name="gate_confirm"),
    path("<int:pk>/team/", views.team_add, name="team_add"),
    path("<int:pk>/team/<int:membership_id>/remove/", views.team_remove, name="team_remove"),
]
