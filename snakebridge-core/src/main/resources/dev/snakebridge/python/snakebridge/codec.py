"""Tagged binary values (docs/PROTOCOL.md, "Values"): the names the rest of the worker uses.

The codec is split as the Java side is (ValueEncoder / ValueDecoder / WireTag):
    wire.py     tags and limits, shared by all of the codec and by bulk.py
    encoder.py  Python values -> bytes (results, stream items, callback arguments, errors)
    decoder.py  bytes -> Python values (requests, callback answers)
    bulk.py     arrays, tables and large buffers; depends on wire.py only, never on these

This module only re-exports, so that `codec.encode_value` and the rest keep one home for
their callers (server.py, streams.py, callbacks.py, dispatch.py).
"""

from .bulk import numpy_module  # noqa: F401
from .decoder import decode_request, decode_value, peek_op  # noqa: F401
from .encoder import (  # noqa: F401
    ENCODERS, NEEDS_FULL_ENCODE, ArraysByValue, AsRef, Encoded, encode_value, encoder_for,
)
from .wire import *  # noqa: F401,F403  (the tags, T_LIST and the rest, and MAX_DEPTH)
