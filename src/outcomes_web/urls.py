"""The site's URLs: the public tracker at /, the JSON API at /api/, the workspace at /manage/ and
sign-in at /accounts/."""

from django.urls import include, path

urlpatterns = [
    path("api/", include("outcomes_web.api.urls")),
    path("", include("outcomes_web.workspace.urls")),
    path("", include("outcomes_web.tracker.urls")),
]

handler404 = "outcomes_web.tracker.views.not_found"
