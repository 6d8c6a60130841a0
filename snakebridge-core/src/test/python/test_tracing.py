"""Trace context in the worker: a request with the TRACE op modifier carries the JVM's W3C
traceparent, which Python code reads while the call runs (stdlib only; opentelemetry is not
needed and not installed in the test interpreter)."""

import os
import textwrap
import time
import unittest

from test_worker import CALL, Worker, WorkerError

TRACE = 0x400
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

TRACING_HELPERS = textwrap.dedent('''
    import threading
    import snakebridge

    def seen():
        return snakebridge.current_traceparent()

    def seen_in_span():
        with snakebridge.span("sbtest.work", {"step": "one"}):
            return snakebridge.current_traceparent()

    def seen_after_raise():
        raise ValueError(snakebridge.current_traceparent())

    def seen_by_new_thread():
        out = []
        t = threading.Thread(target=lambda: out.append(snakebridge.current_traceparent()))
        t.start()
        t.join()
        return out[0]
''')


class TraceContextTest(unittest.TestCase):
    worker = None

    @classmethod
    def setUpClass(cls):
        cls.worker = Worker()
        with open(os.path.join(cls.worker.helper_dir, "sbtest_tracing.py"), "w") as f:
            f.write(TRACING_HELPERS)

    @classmethod
    def tearDownClass(cls):
        cls.worker.close()

    def traced(self, function, traceparent=TRACEPARENT):
        return self.worker.request(CALL | TRACE, traceparent, "sbtest_tracing", function, [], {})

    def test_a_traced_call_sees_its_traceparent(self):
        self.assertEqual(self.traced("seen"), TRACEPARENT)

    def test_an_untraced_call_sees_none(self):
        self.assertIsNone(self.worker.call("sbtest_tracing", "seen"))

    def test_the_context_ends_with_the_call(self):
        self.traced("seen")
        self.assertIsNone(self.worker.call("sbtest_tracing", "seen"))
        other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
        self.assertEqual(self.traced("seen", other), other)

    def test_the_context_is_there_when_the_call_raises_and_gone_after(self):
        with self.assertRaises(WorkerError) as ctx:
            self.traced("seen_after_raise")
        self.assertIn(TRACEPARENT, str(ctx.exception))
        self.assertIsNone(self.worker.call("sbtest_tracing", "seen"))

    def test_python_spans_name_the_call_traceparent(self):
        self.traced("seen_in_span")
        deadline = time.monotonic() + 5
        events = []
        while time.monotonic() < deadline:
            with self.worker.cond:
                events = [e for e in self.worker.telemetry if e[0].startswith("sbtest.work.")]
            if len(events) == 2:
                break
            time.sleep(0.01)
        self.assertEqual([e[0] for e in events], ["sbtest.work.start", "sbtest.work.stop"])
        for _, _, metadata in events:
            self.assertEqual(metadata["traceparent"], TRACEPARENT)
            self.assertEqual(metadata["step"], "one")

    def test_a_thread_the_call_starts_does_not_inherit_the_context(self):
        # Documented: threads start with an empty context (contextvars), as in OpenTelemetry.
        self.assertIsNone(self.traced("seen_by_new_thread"))


if __name__ == "__main__":
    unittest.main()
