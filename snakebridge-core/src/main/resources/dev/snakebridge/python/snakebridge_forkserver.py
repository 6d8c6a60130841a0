"""Entry script of a pool's fork server: `<python> <dir>/snakebridge_forkserver.py` (forkserver.py)."""

import os
import sys

# Our modules' bytecode is cached even under PYTHONDONTWRITEBYTECODE (see snakebridge_boot.py).
_dont_write_bytecode = sys.dont_write_bytecode
if os.environ.get("SNAKEBRIDGE_CACHE_BYTECODE") == "1":
    sys.dont_write_bytecode = False
import snakebridge.forkserver  # noqa: E402

sys.dont_write_bytecode = _dont_write_bytecode

if __name__ == "__main__":
    snakebridge.forkserver.main()
