"""The background check's child (engine/background_check.py), checking by the one pipeline.

`countertalk play` starts this module (`python -I -S`, see `child_argv`) while Textual loads,
so the result it caches and hands back is the one `lint` reports (scoring's warnings too), not
the engine's passes alone.
"""

from __future__ import annotations

import sys

from simulator.engine import background_check

from .checks import checked_bytes

if __name__ == "__main__":  # no teardown: see background_check.exit_now
    background_check.exit_now(background_check.main(sys.argv, checked_bytes))
