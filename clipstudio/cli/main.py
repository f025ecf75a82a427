"""Command line entry point: parse, run the command, map the core's errors to exit codes.

Exit status: 0 done, 1 internal failure (with ffmpeg's own words), 2 bad input or usage,
130 cancelled (Ctrl+C).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from clipstudio.cli.commands import HANDLERS
from clipstudio.cli.parser import build_parser
from clipstudio.core.errors import BadInputError, Cancelled, ClipStudioError

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["gui"]  # `clipstudio` alone opens the window
    args = build_parser().parse_args(argv)
    try:
        return int(HANDLERS[args.handler](args) or EXIT_OK)
    except BadInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (Cancelled, KeyboardInterrupt):
        print("error: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except ClipStudioError as exc:
        print(f"error: internal failure: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
