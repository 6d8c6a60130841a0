"""Entry script of a pool's fork server: `<python> <dir>/snakebridge_forkserver.py` (forkserver.py).

The JVM may also start the interpreter before it has unpacked this directory, with a bootstrap
(`python -c`) that reads the directory and the pool's environment from stdin, then imports this
module and calls run().
"""

import os
import sys


def run():
    """Import the fork server and serve."""
    # Our modules' bytecode is cached even under PYTHONDONTWRITEBYTECODE (see snakebridge_boot.py).
    dont_write_bytecode = sys.dont_write_bytecode
    if os.environ.get("SNAKEBRIDGE_CACHE_BYTECODE") == "1":
        sys.dont_write_bytecode = False
    import snakebridge.forkserver
    sys.dont_write_bytecode = dont_write_bytecode
    snakebridge.forkserver.main()


if __name__ == "__main__":
    run()
