"""The store: normalised tables holding whole frameworks per (outcome, reporting period)."""
