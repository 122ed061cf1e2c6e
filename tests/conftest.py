"""Session-wide test setup."""
import os
import tempfile

# kpicheck keeps compiled patterns in the user's cache directory (`kpicheck.diskcache`): the
# tests, and the commands they start, use a directory of their own instead.
os.environ["KPICHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpicheck-test-cache-")
os.environ.pop("KPICHECK_NO_CACHE", None)
