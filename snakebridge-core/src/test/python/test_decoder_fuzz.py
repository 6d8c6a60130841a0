"""A fuzz loop for the worker's decoder (stdlib only): mutated valid requests and random bytes.

Every input either decodes or raises DecodeError (or RefNotFound for a ref id nobody holds);
nothing else escapes, and no input makes the decoder allocate much more than the input's
own size (a length or count is checked against the bytes left before anything is built).
The loop is seeded: a failure names the seed and the input (hex) to replay it.

    python3 -m unittest test_decoder_fuzz                          # the short loop (CI)
    SNAKEBRIDGE_FUZZ_INPUTS=1000000 python3 -m unittest test_decoder_fuzz   # the long one
"""

import datetime
import decimal
import os
import random
import sys
import tracemalloc
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "snakebridge", "python"))

from snakebridge import codec, objects  # noqa: E402
from snakebridge.errors import DecodeError, RefNotFound  # noqa: E402

INPUTS = int(os.environ.get("SNAKEBRIDGE_FUZZ_INPUTS", "20000"))
SEED = int(os.environ.get("SNAKEBRIDGE_FUZZ_SEED", "1303"))
# Peak Python allocation allowed while decoding one input: a decoded value holds its items as
# Python objects (tens of bytes each for a byte of input), plus a fixed allowance.
BYTES_PER_INPUT_BYTE = 200
FIXED_ALLOWANCE = 256 * 1024


def _seeds():
    """Valid requests and values, encoded by the worker's own encoder: the mutation's starting points."""
    values = [
        None, True, 0, -1, 2 ** 62, 2 ** 80, 1.5, float("inf"), "", "text", "ünïcødé \U0001F40D", b"\x00\x01",
        [1, [2, [3, [4]]]], (1, "two"), {"k": [1, 2], 3: None}, {1, 2, 3}, frozenset({"a"}),
        complex(1, -2), decimal.Decimal("3.14"), datetime.date(2024, 2, 29), datetime.time(1, 2, 3, 4),
        datetime.datetime(2020, 1, 1, 12, 0, 0, 5), datetime.timedelta(days=-1, microseconds=7),
        datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        uuid.UUID(int=12345), "x" * 300, list(range(100)),
    ]
    encoded = []
    for value in values:
        buf = bytearray()
        codec.encode_value(buf, value)
        encoded.append(bytes(buf))
        request = bytearray()
        codec.encode_value(request, [1, "session", "math", "sqrt", [value], {}])
        encoded.append(bytes(request))
    return encoded


def _mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if not data or choice < 0.1:
            data += bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 8)))
        elif choice < 0.4:
            data[rng.randrange(len(data))] = rng.getrandbits(8)
        elif choice < 0.55:
            # A length or count field turned huge: must be refused, not allocated.
            at = rng.randrange(len(data))
            data[at:at + 4] = rng.choice([b"\xff\xff\xff\x7f", b"\xff\xff\xff\xff", b"\x00\x00\x00\x80"])
        elif choice < 0.7:
            del data[rng.randrange(len(data)):]
        elif choice < 0.85:
            at = rng.randrange(len(data))
            data[at:at] = data[:rng.randint(1, min(16, len(data)))]
        else:
            at = rng.randrange(len(data))
            del data[at:at + rng.randint(1, 8)]
    return bytes(data)


def _decode_one(data, tables):
    """Decode as the worker does a request, then as a value."""
    for decode in (lambda: codec.decode_request(data, tables.refs), lambda: codec.decode_value(data, tables.refs("s"))):
        try:
            decode()
        except (DecodeError, RefNotFound):
            pass


class DecoderFuzz(unittest.TestCase):
    def test_malformed_inputs_fail_cleanly_and_within_their_size(self):
        rng = random.Random(SEED)
        seeds = _seeds()
        tables = objects.ObjectTables()
        # Arrays and tables import numpy and pandas on first use: that allocation is the import's,
        # not the input's, so it happens before measuring (as it does at a worker's start).
        for module in ("numpy", "pandas"):
            try:
                __import__(module)
            except ImportError:
                pass
        warm = random.Random(SEED + 1)
        for _ in range(2000):
            try:
                _decode_one(_mutate(warm, warm.choice(seeds)), tables)
            except Exception:
                pass
        tracemalloc.start()
        try:
            worst = 0
            for i in range(INPUTS):
                data = _mutate(rng, rng.choice(seeds)) if i % 4 else bytes(
                    rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
                tracemalloc.reset_peak()
                base = tracemalloc.get_traced_memory()[0]
                try:
                    _decode_one(data, tables)
                except Exception as exc:  # anything but the decoder's own errors is a bug
                    self.fail("seed %d input %d (%s) raised %r" % (SEED, i, data.hex(), exc))
                peak = tracemalloc.get_traced_memory()[1] - base
                worst = max(worst, peak)
                limit = FIXED_ALLOWANCE + BYTES_PER_INPUT_BYTE * len(data)
                self.assertLessEqual(peak, limit, "seed %d input %d (%s) allocated %d bytes" % (SEED, i, data.hex(), peak))
        finally:
            tracemalloc.stop()
        print("decoder fuzz: %d inputs, seed %d, worst peak allocation %d bytes" % (INPUTS, SEED, worst),
              file=sys.stderr)

    def test_a_huge_declared_length_is_refused_without_allocating(self):
        tracemalloc.start()
        try:
            for tag in (codec.T_STR, codec.T_BYTES, codec.T_LIST, codec.T_DICT):
                with self.assertRaises(DecodeError):
                    codec.decode_value(bytes([tag]) + b"\xff\xff\xff\x7f" + b"\x00" * 8)
            self.assertLess(tracemalloc.get_traced_memory()[1], FIXED_ALLOWANCE)
        finally:
            tracemalloc.stop()


if __name__ == "__main__":
    unittest.main()
