"""Speech: transcription engines, caption layout, subtitle files, sentence-aware trim."""
