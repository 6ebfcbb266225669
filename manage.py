#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (same as the `keikaku` command)."""

from keikaku.__main__ import main

if __name__ == "__main__":
    main()
