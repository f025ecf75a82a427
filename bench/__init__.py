"""`make bench`: speed and memory against plain ffmpeg on the same clip (never timed tests)."""
