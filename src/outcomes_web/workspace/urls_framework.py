"""Filled in by the urls_framework pages."""

urlpatterns: list = []
