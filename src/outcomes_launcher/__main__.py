"""``python -m outcomes_launcher ...`` is ``outcomes ...``."""

from outcomes_launcher import main

main()
