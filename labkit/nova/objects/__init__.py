"""Nova's objects (nova/objects/)."""
from labkit.nova.objects.aggregate import Aggregate, AggregateList
from labkit.nova.objects.base import NovaObject, NovaObjectSerializer
from labkit.nova.objects.instance import Instance, InstanceList
from labkit.nova.objects.instance_group import InstanceGroup, InstanceGroupList
from labkit.nova.objects.keypair import KeyPair, KeyPairList
from labkit.nova.objects.migration import Migration, MigrationList
from labkit.nova.objects.build_request import BuildRequest, BuildRequestList
from labkit.nova.objects.compute_node import ComputeNode, ComputeNodeList
from labkit.nova.objects.flavor import Flavor, FlavorList
from labkit.nova.objects.instance_action import (InstanceAction, InstanceActionEvent,
                                                 InstanceActionEventList, InstanceActionList)
from labkit.nova.objects.instance_fault import InstanceFault, InstanceFaultList
from labkit.nova.objects.instance_mapping import InstanceMapping
from labkit.nova.objects.quotas import Quotas
from labkit.nova.objects.request_spec import RequestSpec
from labkit.nova.objects.selection import Selection
from labkit.nova.objects.service import Service, ServiceList

__all__ = ["Aggregate", "AggregateList", "InstanceGroup", "InstanceGroupList", "ServiceList",
           "BuildRequest", "BuildRequestList", "ComputeNode", "ComputeNodeList", "Flavor",
           "FlavorList", "Instance",
           "InstanceAction", "InstanceActionEvent", "InstanceActionEventList",
           "InstanceActionList", "InstanceFaultList", "InstanceMapping",
           "InstanceList", "KeyPair", "KeyPairList", "Migration", "MigrationList", "Quotas",
           "InstanceFault", "NovaObject", "NovaObjectSerializer", "RequestSpec", "Selection",
           "Service"]
