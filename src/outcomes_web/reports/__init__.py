"""Report builds outside the request: a queue of builds on the tracker's own database (Django's tasks
API, django-tasks with its database backend), one build per report, run by workers."""
