"""The public pages: home, outcome scorecards, indicators, risks, reports and search."""
