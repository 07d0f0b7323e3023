"""The portal for the concurrency tests, served by gunicorn on the test's database.

TEST_APP_DATABASE_URL=... gunicorn -w 4 'tests.concurrency_wsgi:create()'
"""

from __future__ import annotations

import os

from portal import create_app


def create():
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ["TEST_APP_DATABASE_URL"],
            "SECRET_KEY": "concurrency-test",
            # The test sends bursts on purpose; the limits are tested elsewhere.
            "RATELIMIT_API": "100000 per minute",
        }
    )
