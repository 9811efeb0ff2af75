"""The portal's settings with the floor endpoint of bench/api.py added to its URLs (the benchmark's
gunicorn only)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_floor"
