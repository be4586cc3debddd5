#!/usr/bin/env python3
"""Entry point for `python build.py build|check|serve|new`: the same CLI as the `ntc-site` script."""
from ntc_site.cli import run

if __name__ == "__main__":
    run()
