"""Framework management (outcomes_web.workspace.framework_views), under /manage/framework/."""

from django.urls import path, re_path

from outcomes_web.workspace import framework_views as views

K = r"(?P<key>[A-Za-z0-9][A-Za-z0-9_.-]*)"
S = r"^(?P<pk>\d+)/"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("<int:pk>/outcome/", views.edit_outcome, name="framework-outcome"),
    path("<int:pk>/new/indicator/", views.new_item, {"kind": "indicator"}, name="framework-new-indicator"),
    path("<int:pk>/new/measure/", views.new_item, {"kind": "measure"}, name="framework-new-measure"),
    path("<int:pk>/new/series/", views.new_item, {"kind": "series"}, name="framework-new-series"),
    path("<int:pk>/new/risk/", views.new_item, {"kind": "risk"}, name="framework-new-risk"),
    re_path(rf"{S}indicators/{K}/$", views.edit_indicator, name="framework-indicator"),
    re_path(rf"{S}measures/{K}/$", views.edit_measure, name="framework-measure"),
    re_path(rf"{S}series/{K}/$", views.edit_series, name="framework-series"),
    re_path(rf"{S}risks/{K}/$", views.edit_risk, name="framework-risk"),
    re_path(rf"{S}(?P<kind>indicator|measure|risk)/{K}/archive/$", views.archive, name="framework-archive"),
]
