"""The trace: every hop of a lab as plain data, the questions asked of it, and its exports.

    core.py    Trace: record, events, subscribe, ingest; JSON in and out
    query.py   hops, states, first, pairs, last_request, summary: one API for
               the course, the pictures and the tests
    otel.py    the same hops as OpenTelemetry spans (OTLP/JSON)

Hops are recorded at the seams (HTTP middleware, the message bus, nova's
database handle, the scheduler's decision, injected faults); see core.py.
"""
from labkit.trace import query
from labkit.trace.core import KINDS, REDACTED, Trace, redact

__all__ = ["KINDS", "REDACTED", "Trace", "query", "redact"]
