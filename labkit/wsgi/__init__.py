"""labkit's HTTP layer: a real WSGI server, shared middleware, routing on WebOb."""
from labkit.wsgi.middleware import RequestIdMiddleware, SizeLimitMiddleware, TraceMiddleware


def service_stack(app, node, lab, error_body, compute_header=False, limit_body=True):
    """Wrap a service's app the way every labkit API is wrapped.

    Outermost first: request id (oslo_middleware.request_id) -> trace seam
    (osprofiler-like) -> body size limit (oslo_middleware.sizelimit) -> app.
    ``error_body(code, message, title)`` is the service's own error document.
    """
    if limit_body:   # glance takes image data of any size
        app = SizeLimitMiddleware(
            app, lambda code, msg: error_body(code, msg, "Request Entity Too Large"))
    app = TraceMiddleware(app, node, lab.trace, frozenset(lab.nodes))
    app = RequestIdMiddleware(app, lab.ids, compute_header=compute_header)
    app.error_body = error_body        # how the server words errors it finds on the wire
    return app
