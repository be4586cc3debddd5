"""`serve`: the live preview. Takes `Settings`; serves the last good build from memory on localhost,
rebuilds through the same pipeline on every change and overlays every problem on the served pages.
"""
