"""Nova's RPC helpers: one client, server and notifier factory for every nova service.

Real nova: nova/rpc.py (get_client, get_server, get_notifier), which wraps
oslo.messaging with nova's serializer and allowed remote exceptions.
"""
from labkit.context import RequestContext
from labkit.messaging import Notifier, RPCClient, RPCServer
from labkit.nova import exception
from labkit.nova.objects import NovaObjectSerializer

_EXCEPTIONS = None


def _registry():
    global _EXCEPTIONS
    if _EXCEPTIONS is None:
        _EXCEPTIONS = exception.registry()
    return _EXCEPTIONS


def get_client(lab, node, target, timeout=None):
    """An RPC client that ``node`` uses to reach ``target``."""
    return RPCClient(lab.transport, target, node, NovaObjectSerializer(), lab.trace,
                     timeout=timeout or lab.conf.rpc_response_timeout,
                     exception_registry=_registry())


def get_server(lab, node, target, endpoints, context_factory, workers=1):
    return RPCServer(lab.transport, target, endpoints, NovaObjectSerializer(), node,
                     context_factory, lab.trace, workers=workers)


def get_notifier(lab, node, publisher_id):
    if not lab.conf.notifications:
        return None
    return Notifier(lab.transport, publisher_id, node, lab.trace)


def make_context_factory(node, db_handle=None, indirection_api=None):
    """Rebuild a RequestContext from a message's ``_context_*`` keys, for one service.

    The database handle (or, for nova-compute, the conductor as the
    ``indirection_api``) belongs to the receiving service, never to the message.
    """
    def factory(values):
        ctxt = RequestContext.from_dict(values)
        ctxt.db, ctxt.indirection_api, ctxt.service_node = db_handle, indirection_api, node
        return ctxt
    return factory


def bind_context(ctxt, node, db_handle=None, indirection_api=None):
    """The same context, as seen by another service in this process."""
    return make_context_factory(node, db_handle, indirection_api)(ctxt.to_dict())
