"""The public tracker's addresses: home, scorecards, indicator pages, risks, search and reports."""

from django.urls import path, re_path

from outcomes_web.tracker import views

app_name = "tracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("risks/", views.risks, name="risks"),
    path("search/", views.search, name="search"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/$", views.outcome, name="outcome"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/report\.(?P<fmt>html|pdf)$", views.report, name="report"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/report\.(?P<fmt>html|pdf)/retry$", views.report_retry,
            name="report-retry"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/indicators/(?P<indicator_key>[-\w.]+)/$", views.indicator,
            name="indicator"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/indicators/(?P<indicator_key>[-\w.]+)/"
            r"(?P<name>observations|judgements)\.csv$", views.indicator_download, name="indicator-csv"),
    re_path(r"^outcomes/(?P<outcome_key>[-\w.]+)/indicators/(?P<indicator_key>[-\w.]+)/indicator\.(?P<name>json)$",
            views.indicator_download, name="indicator-json"),
]
