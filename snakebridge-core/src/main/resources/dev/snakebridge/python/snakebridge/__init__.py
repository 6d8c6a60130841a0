"""SnakeBridge worker: serves calls from the JVM over the protocol in docs/PROTOCOL.md.

Importing the package stays cheap: only the exception classes, callbacks (invoke,
callback) and telemetry are loaded here; the server is started by snakebridge_boot.py
through snakebridge.server.main().
"""

from .callbacks import JavaCallable, callback, invoke
from .errors import Cancelled, DecodeError, JavaException, RefNotFound
from .telemetry import emit, span
from .tracing import current_traceparent

__all__ = ["Cancelled", "DecodeError", "JavaCallable", "JavaException", "RefNotFound",
           "callback", "current_traceparent", "emit", "invoke", "span"]
