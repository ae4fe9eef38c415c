from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/plan/", views.plan_page, name="plan"),
    path("<int:pk>/plan/sections/<slug:code>/", views.section_edit, name="section_edit"),
    path("<int:pk>/plan/submit/", views.plan_submission, name="submit"),
    path("<int:pk>/plan/compare/", views.compare, name="compare"),
    path("<int:pk>/plan/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/plan/versions/<int:number>/feedback/", views.comment_add, name="comment_add"),
    path("<int:pk>/plan/feedback/<int:comment>/reply/", views.reply_add, name="reply"),
    path("<int:pk>/plan/versions/<int:number>/review/", views.version_review, name="review"),
    path("<int:pk>/plan/versions/<int:number>/print/", views.version_print, name="print"),
    path("<int:pk>/plan/versions/<int:number>/pdf/", views.version_pdf, name="pdf"),
]
