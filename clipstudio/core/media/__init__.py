"""What a file is and what it looks like: the probe (MediaInfo from PyAV) and the small pictures
the window shows (thumbnail, waveform). First stage of probe -> analyse -> transcribe -> plan ->
render -> validate."""
