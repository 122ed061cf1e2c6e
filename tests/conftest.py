"""Session-wide test setup."""
import atexit
import os
import shutil
import tempfile

# kpicheck keeps parsed lexicons in the user's cache directory (`kpicheck.diskcache`): the
# tests, and the commands they start, use a directory of their own, removed at the end.
_CACHE = tempfile.mkdtemp(prefix="kpitest-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["KPICHECK_CACHE_DIR"] = _CACHE
os.environ.pop("KPICHECK_NO_CACHE", None)
