"""``python -m outcomes_web`` is ``manage.py``: ``python -m outcomes_web migrate``, ``... check --deploy``."""

from outcomes_web.manage import main

main()
