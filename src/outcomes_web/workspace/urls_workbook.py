"""The data-collection workbook: download, upload, preview, commit (outcomes_web.workspace.workbook_views)."""

from django.urls import URLPattern, path, re_path

from outcomes_web.workspace import workbook_views as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="workbook"),
    path("upload/", views.upload, name="workbook-upload"),
    path("<int:pk>/", views.preview, name="workbook-preview"),
    path("<int:pk>/commit/", views.commit, name="workbook-commit"),
    path("<int:pk>/discard/", views.discard, name="workbook-discard"),
    re_path(r"^(?P<label>[^/]+)\.xlsx$", views.download, name="workbook-download"),
]
