"""The ``paperlane`` command line and what it runs beside the HTTP app.

``commands``        the ``paperlane`` command (entry point ``api.cli.commands:main``)
``supervisor``      runs ``paperlane dev``'s child processes and stops them together
``local_services``  the PostgreSQL and Redis a command needs: configured, attached to, or started
``embedded``        the embedded PostgreSQL and Redis servers themselves

Nothing in here is imported by the HTTP app or the worker; the worker and the app are started
through module paths (``api.main:create_app``, ``worker.celery_app:app``).
"""
