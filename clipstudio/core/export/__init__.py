"""From a plan to a validated file: Facebook shapes and encoding rules, where the picture sits in
the frame, the one module that writes ffmpeg commands, the render and the validation."""
