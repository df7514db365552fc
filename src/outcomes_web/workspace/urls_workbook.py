"""Filled in by the urls_workbook pages."""

urlpatterns: list = []
