"""The workspace: sign-in, returns, review, publishing, history, workbooks and the framework."""

from django.urls import include, path, re_path

from outcomes_web.workspace import views

app_name = "workspace"

K = r"[-\w.]+"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("manage/", views.dashboard, name="dashboard"),
    path("manage/periods/", views.periods, name="periods"),
    re_path(r"^manage/periods/(?P<label>[^/]+)/$", views.period, name="period"),
    path("manage/returns/<int:pk>/", views.submission, name="submission"),
    path("manage/returns/<int:pk>/submit/", views.submission_submit, name="submission-submit"),
    path("manage/returns/<int:pk>/review/", views.submission_review, name="submission-review"),
    path("manage/snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    re_path(r"^manage/snapshots/(?P<pk>\d+)/report\.(?P<fmt>html|pdf)$", views.snapshot_report,
            name="snapshot-report"),
    path("manage/snapshots/<int:pk>/publish/", views.snapshot_publish, name="snapshot-publish"),
    path("manage/snapshots/<int:pk>/revise/", views.snapshot_revise, name="snapshot-revise"),
    path("manage/snapshots/<int:pk>/discard/", views.snapshot_discard, name="snapshot-discard"),
    path("manage/audit/", views.audit_log, name="audit"),
    re_path(rf"^manage/history/(?P<outcome_key>{K})/(?P<item_key>{K})/$", views.history, name="history"),
    path("manage/workbook/", include("outcomes_web.workspace.urls_workbook")),
    path("manage/framework/", include("outcomes_web.workspace.urls_framework")),
]
