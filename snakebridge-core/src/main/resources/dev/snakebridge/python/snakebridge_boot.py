"""Entry script: the JVM runs `<python> <dir>/snakebridge_boot.py`; <dir> is sys.path[0]."""

import os
import sys

# Checked before the package is imported, so that an old interpreter gets this sentence (which the JVM
# shows with the worker's stderr) rather than a syntax error from deep inside the package.
if sys.version_info < (3, 9):
    sys.stderr.write("SnakeBridge needs Python 3.9 or later; %s is Python %s. Point SNAKEBRIDGE_PYTHON or"
                     " SnakeBridgeConfig.pythonExecutable at a newer interpreter.\n"
                     % (sys.executable, ".".join(map(str, sys.version_info[:3]))))
    sys.exit(3)

# Compiling this package costs ~30 ms per start. When the JVM says <dir> is SnakeBridge's own cache
# directory (named by a hash of its files; not a source tree), its bytecode is written there even under
# PYTHONDONTWRITEBYTECODE (for the imports below only; the user's setting applies to everything else).
_dont_write_bytecode = sys.dont_write_bytecode
if os.environ.get("SNAKEBRIDGE_CACHE_BYTECODE") == "1":
    sys.dont_write_bytecode = False
import snakebridge.server  # noqa: E402

sys.dont_write_bytecode = _dont_write_bytecode

if __name__ == "__main__":
    snakebridge.server.main()
