#!/usr/bin/env python
from signpost.cli import main

if __name__ == "__main__":
    main()
