"""The floor of the latency benchmark: echoes every frame it reads on fd 0 back on fd 1, unchanged.

Frames are those of docs/PROTOCOL.md (u32 len | u8 kind | u8 flags | u16 reserved | u64 id | payload,
little-endian, len = 12 + payload length). Standard library only, blocking os.read / os.write on the
raw file descriptors, as the real worker does, but no decoding, no dispatch, no threads: whatever a
SnakeBridge call costs above this is the runtime's own overhead. Exits at end of file on fd 0.
"""

import os

HEADER = 16
LEN_OVERHEAD = 12
READ_SIZE = 65536


def main():
    buf = b""
    while True:
        chunk = os.read(0, READ_SIZE)
        if not chunk:
            return
        buf += chunk
        # Echo every complete frame in the buffer; keep a partial one for the next read.
        end = 0
        while len(buf) - end >= HEADER:
            frame_len = 4 + int.from_bytes(buf[end:end + 4], "little")
            if frame_len < HEADER:
                raise SystemExit("echo.py: corrupt frame length %d" % (frame_len - 4))
            if len(buf) - end < frame_len:
                break
            end += frame_len
        if end:
            out = memoryview(buf)[:end]
            while out:
                out = out[os.write(1, out):]
            buf = buf[end:]


if __name__ == "__main__":
    main()
