"""Entry point of the frozen app (build.spec); `clipstudio` on PATH uses clipstudio.cli:main.

The GUI runs every media call in a spawned child process (clipstudio.core.isolate). Frozen, a
spawned child is this same executable started with multiprocessing's arguments, so
freeze_support() must run before anything else: it runs the child's task and exits instead of
opening a second window.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from clipstudio.cli import main

    sys.exit(main())
