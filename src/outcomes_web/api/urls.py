"""The JSON API's addresses (/api/...): outcomes, series, periods and the OpenAPI schema."""

from django.urls import path, re_path

from outcomes_web.api import views

app_name = "api"

urlpatterns = [
    path("", views.docs, name="docs"),
    path("openapi.json", views.openapi, name="openapi"),
    path("outcomes/", views.outcomes, name="outcomes"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/$", views.outcome, name="outcome"),
    re_path(r"^series/(?P<series_key>[-\w.]+)/$", views.series, name="series"),
    path("risks/", views.risks, name="risks"),
    path("periods/", views.periods, name="periods"),
]
