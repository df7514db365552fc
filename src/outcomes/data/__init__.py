"""Data shipped inside the package, so that an installed wheel has what ``outcomes demo`` and the
first ``outcomes serve`` need (a source checkout reads the same files).

:data:`EXAMPLE` is the bundled example dataset folder, Dorset's "Safe" outcome of 2018; it is kept
once, here (``src/outcomes/data/examples/dorset-safe-2018`` in the repository).

>>> (EXAMPLE / "framework.yaml").is_file(), EXAMPLE.name
(True, 'dorset-safe-2018')
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["EXAMPLE", "EXAMPLES"]

#: The folder of bundled example datasets.
EXAMPLES = Path(__file__).resolve().parent / "examples"
#: The bundled example dataset (a dataset folder).
EXAMPLE = EXAMPLES / "dorset-safe-2018"
