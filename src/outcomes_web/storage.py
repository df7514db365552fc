"""Static files: hashed, compressed and cached for a year after ``collectstatic``; plain names before it."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage that also works before ``collectstatic`` has run.

    With no manifest (the demo server, the tests) URLs keep the file's own name and WhiteNoise
    serves it from the app's ``static/`` folder; once ``collectstatic`` has written the manifest,
    URLs carry the content hash.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
