"""The placement service: its database, its route table and its WSGI stack.

Real placement: placement/handler.py (ROUTE_DECLARATIONS) and
placement/deploy.py (the middleware: request id, auth_token that skips
``/`` (placement/auth.py), microversion, fault wrap).
"""
from labkit.keystonemiddleware.auth_token import AuthProtocol
from labkit.placement import models
from labkit.placement.errors import PlacementRouter, error_body
from labkit.placement.handlers import allocation, allocation_candidate, inventory, root
from labkit.placement.handlers import resource_provider, trait, usage
from labkit.placement.microversion import MicroversionMiddleware
from labkit.placement.objects import names
from labkit.wsgi import service_stack

NODE = "placement"


def route_table(db, ids, randomize_candidates=False):
    """handler.py:ROUTE_DECLARATIONS, one (method, path, handler) per line."""
    rp = resource_provider.ResourceProviderHandler(db, ids)
    inv = inventory.InventoryHandler(db, ids)
    alloc = allocation.AllocationHandler(db, ids)
    cand = allocation_candidate.AllocationCandidateHandler(db, ids, randomize_candidates)
    use = usage.UsageHandler(db, ids)
    tr = trait.TraitHandler(db, ids)
    p = "/resource_providers/{uuid}"
    return [
        ("GET", "/", root.home),
        ("GET", "/resource_providers", rp.list_resource_providers),
        ("POST", "/resource_providers", rp.create_resource_provider),
        ("GET", p, rp.get_resource_provider),
        ("PUT", p, rp.update_resource_provider),
        ("DELETE", p, rp.delete_resource_provider),
        ("GET", p + "/inventories", inv.get_inventories),
        ("PUT", p + "/inventories", inv.set_inventories),
        ("DELETE", p + "/inventories", inv.delete_inventories),
        ("GET", p + "/inventories/{resource_class}", inv.get_inventory),
        ("GET", p + "/usages", use.list_usages),
        ("GET", p + "/allocations", alloc.list_for_resource_provider),
        ("GET", p + "/traits", tr.list_traits_for_resource_provider),
        ("PUT", p + "/traits", tr.update_traits_for_resource_provider),
        ("DELETE", p + "/traits", tr.delete_traits_for_resource_provider),
        ("GET", p + "/aggregates", rp.get_aggregates),
        ("PUT", p + "/aggregates", rp.set_aggregates),
        ("GET", "/allocation_candidates", cand.list_allocation_candidates),
        ("POST", "/allocations", alloc.set_allocations),
        ("GET", "/allocations/{consumer_uuid}", alloc.list_for_consumer),
        ("PUT", "/allocations/{consumer_uuid}", alloc.set_allocations_for_consumer),
        ("DELETE", "/allocations/{consumer_uuid}", alloc.delete_allocations),
        ("GET", "/usages", use.get_total_usages),
        ("GET", "/traits", tr.list_traits),
        ("GET", "/traits/{name}", tr.get_trait),
        ("PUT", "/traits/{name}", tr.put_trait),
        ("GET", "/resource_classes", tr.list_resource_classes),
        ("GET", "/resource_classes/{name}", tr.get_resource_class),
        ("PUT", "/resource_classes/{name}", tr.put_resource_class),
    ]


class PlacementService:
    """placement-api on its own port; nova's scheduler and computes are its clients."""

    def __init__(self, lab):
        self.lab = lab
        self.db = lab.database(NODE, models.metadata)
        if self.db.created:            # a restarted placement process finds its providers
            with self.db.transaction() as conn:
                names.seed(conn)
        router = PlacementRouter(route_table(self.db, lab.ids,
                                             lab.conf.randomize_allocation_candidates),
                                 lambda code, msg, title: error_body(code, msg, title))
        self.auth = AuthProtocol(MicroversionMiddleware(router), lab, NODE, public_paths=("/",))
        self.app = service_stack(self.auth, NODE, lab, error_body)

    def stop(self):
        self.auth.close()
        self.db.close()
