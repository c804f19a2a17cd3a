"""Nova's objects (nova/objects/)."""
from labkit.nova.objects.base import NovaObject, NovaObjectSerializer
from labkit.nova.objects.instance import Instance, InstanceList
from labkit.nova.objects.other import (BuildRequest, InstanceAction, InstanceActionEvent,
                                       InstanceFault, RequestSpec, Selection, Service,
                                       ComputeNode)

__all__ = ["BuildRequest", "ComputeNode", "Instance", "InstanceAction", "InstanceActionEvent",
           "InstanceList",
           "InstanceFault", "NovaObject", "NovaObjectSerializer", "RequestSpec", "Selection",
           "Service"]
