"""The review workspace: a Django 5.2 app over the same database as the intake (`banzu web`).

An adapter like flows/: the store (pipeline.store) holds files, findings, flags, decisions and the
audit trail; Django adds accounts, sessions and the pages. One Django app per area (accounts, review;
grading adds its own) sharing templates/base.html and the role helpers in web.accounts.roles.
"""

from __future__ import annotations

import os


def setup() -> None:
    """Configure Django from BANZU_* settings (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or upgrade Django's own tables (accounts, sessions) beside the store's."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
