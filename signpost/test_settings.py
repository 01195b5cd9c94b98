"""Settings for the test suite: test mode is set before the settings module reads it.

(pytest-django imports settings before any conftest.py runs, so setting the mode there is
too late when pytest is started directly rather than through `make test`.)
"""

import os

os.environ["SIGNPOST_ENV"] = "test"

from signpost.settings import *  # noqa: F403
