"""The user's decisions as data: the edit plan (a timeline of takes and what lies over them),
the one-minute limit, trimming, and the GUI's autosaved project that turns into a plan."""
