"""Entry script of a pool's fork server: `<python> <dir>/snakebridge_forkserver.py` (forkserver.py)."""

import snakebridge.forkserver

if __name__ == "__main__":
    snakebridge.forkserver.main()
