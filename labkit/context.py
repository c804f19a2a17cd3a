"""The request context that travels with every call.

Real nova: nova/context.py:RequestContext (built on oslo_context).  It is made
by the API from the headers keystonemiddleware sets, passed explicitly to every
function, and serialised into every RPC message as ``_context_*`` keys.
"""
from dataclasses import dataclass, field, fields


@dataclass
class RequestContext:
    user_id: str | None = None
    project_id: str | None = None
    user_name: str | None = None
    project_name: str | None = None
    roles: list = field(default_factory=list)
    auth_token: str | None = None
    request_id: str | None = None
    global_request_id: str | None = None
    is_admin: bool = False
    read_deleted: str = "no"
    service_catalog: list = field(default_factory=list)

    @property
    def trace_id(self):
        """The id the trace groups hops by: the global id when one came in."""
        return self.global_request_id or self.request_id

    def to_dict(self):
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, values):
        return cls(**{k: v for k, v in values.items() if k in _KNOWN})

    def elevated(self):
        """A copy with admin rights (nova/context.py:RequestContext.elevated)."""
        ctxt = RequestContext.from_dict(self.to_dict())
        ctxt.is_admin = True
        if "admin" not in ctxt.roles:
            ctxt.roles = list(ctxt.roles) + ["admin"]
        return ctxt


# every RPC message carries the context: its field names are read once, not per message
_FIELDS = tuple(f.name for f in fields(RequestContext))
_KNOWN = frozenset(_FIELDS)


def get_admin_context(request_id=None):
    """nova/context.py:get_admin_context, used by periodic tasks."""
    return RequestContext(is_admin=True, roles=["admin"], request_id=request_id)
