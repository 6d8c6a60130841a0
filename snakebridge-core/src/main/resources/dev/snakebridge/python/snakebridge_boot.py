"""Entry script: the JVM runs `<python> <dir>/snakebridge_boot.py`; <dir> is sys.path[0]."""

import snakebridge.server

if __name__ == "__main__":
    snakebridge.server.main()
