"""The Outcomes Tracker web app: a Django project over the ``outcomes`` library.

Only :mod:`outcomes_web.adapter` imports the library; everything else talks to it through there.
"""
