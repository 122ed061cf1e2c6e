"""The `kpicheck` command (console script, and `python -m kpicheck`).

Two things a command can do that a library must not:
- Importing the command line builds ~60,000 objects that live until exit and no garbage. The
  cyclic GC would scan them again and again while they are built (~15 ms of a ~0.2 s run), so it
  is paused over the imports and then told to leave those objects alone (`gc.freeze`); it runs
  as usual on what the run itself creates.
- Tearing the interpreter down at exit frees every object one by one: ~10 ms after one file,
  ~30 ms after a batch of 1,000 (the text caches are full). The command writes what it has to
  (its output, the caches of `kpicheck.diskcache`) and leaves with `os._exit`.
"""
from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    collecting = gc.isenabled()
    gc.disable()
    try:
        from kpicheck.cli import main as run
        from kpicheck.rules import REGISTRY  # noqa: F401 - every check needs them: built in the same pause
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exit_status(exc.code)
    leave(code)


def exit_status(code: object) -> int:
    """What `sys.exit(code)` would make of it: None is 0, a message is printed and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def leave(code: int) -> None:
    """Exit at once, once the output is out and the caches are written."""
    from kpicheck import diskcache

    diskcache.save_all()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the descriptor was closed at start (`>&-`)
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): as the command line reports it
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    main()
