"""The pure core: no Qt imports. The CLI and the GUI both drive it."""
