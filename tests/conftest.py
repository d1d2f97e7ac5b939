import os
import shutil
import sys
import tempfile

from hypothesis import HealthCheck, settings

sys.path.insert(0, os.path.dirname(__file__))

# The compiled-table store goes to a folder of this run, never the user's home cache;
# set before anything is imported, so the CLI's subprocesses inherit it too.
TABLE_CACHE = tempfile.mkdtemp(prefix="normtext-test-tables-")
os.environ["NORMTEXT_CACHE_DIR"] = TABLE_CACHE


def pytest_unconfigure(config):
    shutil.rmtree(TABLE_CACHE, ignore_errors=True)


settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
