"""SnakeBridge introspector: writes a JSON model of a Python library's API (standard library only).

Run as ``python -m snakebridge_introspect --library numpy --mode public --out model.json``; the model
format is described in docs/CODEGEN.md ("The API model") and versioned by ``FORMAT_VERSION``.
"""

FORMAT = "snakebridge-api-model"
FORMAT_VERSION = 1
VERSION = "0.1.0"
