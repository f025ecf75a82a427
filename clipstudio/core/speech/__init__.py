"""Speech: transcription engines, models, caption layout and subtitle files."""
