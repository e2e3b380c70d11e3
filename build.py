#!/usr/bin/env python3
"""Build the guides: `python build.py [build|check|serve|new] --help`."""

import sys

from guidebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
