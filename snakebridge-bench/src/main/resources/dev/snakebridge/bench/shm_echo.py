"""The shared-memory floor: echoes fixed-size frames from one ring of a shared file to the other.

argv[1] is a file the JVM created: two rings, JVM->echo at 0 and echo->JVM at RING. A ring is a
256-byte header (u64 write position at 64) and a data area of whole FRAME-byte slots, so a frame
never wraps. Exactly one frame is in flight, so positions alone say what to do: no read position,
no flow control, no sleeping. Both sides spin: this is the cost of two cache-line transfers and a
48-byte copy each way, the least any shared-memory call can cost. Shared words are read and written
through a memoryview cast to "Q" (one memcpy of the word, as the worker does). Standard library
only; runs until killed.
"""

import mmap
import os
import sys

FRAME = 48
HEADER = 256
SLOTS = 1024
RING = HEADER + FRAME * SLOTS


def main(path):
    fd = os.open(path, os.O_RDWR)
    mm = mmap.mmap(fd, 2 * RING)
    os.close(fd)
    words = memoryview(mm).cast("B").cast("Q")
    in_write = 64 // 8
    out_write = (RING + 64) // 8
    seen = 0
    data_in = HEADER
    data_out = RING + HEADER
    ring_bytes = FRAME * SLOTS
    while True:
        written = words[in_write]
        if written == seen:
            continue
        at = seen % ring_bytes
        mm[data_out + at:data_out + at + FRAME] = mm[data_in + at:data_in + at + FRAME]
        seen += FRAME
        words[out_write] = seen


if __name__ == "__main__":
    main(sys.argv[1])
