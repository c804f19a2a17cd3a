"""Nova's named errors, each with its message format and HTTP code.

Real nova: nova/exception.py (NovaException and its ~600 subclasses).  The API
turns ``code`` into the status and the class of error into nova's fault body.
"""


class NovaException(Exception):
    msg_fmt = "An unknown exception occurred."
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.message


class Invalid(NovaException):
    msg_fmt = "Bad Request - Invalid Parameters"
    code = 400


class ValidationError(Invalid):
    msg_fmt = "%(detail)s"


class InvalidRequest(Invalid):
    msg_fmt = "The request is invalid."


class NotFound(NovaException):
    msg_fmt = "Resource could not be found."
    code = 404


class UnshelveHostNotInAZ(Invalid):
    msg_fmt = 'Host "%(host)s" is not in the availability zone "%(availability_zone)s".'
    code = 409


class ClassNotFound(NotFound):
    msg_fmt = "Class %(class_name)s could not be found: %(exception)s"


class MarkerNotFound(NotFound):
    msg_fmt = "Marker %(marker)s could not be found."


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(network_id)s could not be found."


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action for request_id %(request_id)s on instance %(instance_uuid)s not found"


class BuildRequestNotFound(NotFound):
    msg_fmt = "BuildRequest not found for instance %(uuid)s"


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class Forbidden(NovaException):
    msg_fmt = "Forbidden"
    code = 403


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class OverQuota(NovaException):
    msg_fmt = "Quota exceeded for resources: %(overs)s"
    code = 413


class TooManyInstances(OverQuota):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but already used "
               "%(used)s of %(allowed)s %(overs)s")


class MetadataLimitExceeded(OverQuota):
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"


class KeypairLimitExceeded(OverQuota):
    msg_fmt = "Quota exceeded, too many key pairs."


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class KeyPairExists(NovaException):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class InvalidQuotaValue(Invalid):
    msg_fmt = "Change would make usage less than 0 for the following resources: %(unders)s"


class QuotaNotFound(NotFound):
    msg_fmt = "Quota could not be found"


class QuotaResourceUnknown(QuotaNotFound):
    msg_fmt = "Unknown quota resources %(unknown)s."


class ProjectUserQuotaNotFound(QuotaNotFound):
    msg_fmt = "Quota for user %(user_id)s in project %(project_id)s could not be found."


class ProjectQuotaNotFound(QuotaNotFound):
    msg_fmt = "Quota for project %(project_id)s could not be found."


class QuotaExists(NovaException):
    msg_fmt = "Quota exists for project %(project_id)s, resource %(resource)s"


class InvalidStrTime(Invalid):
    msg_fmt = "Invalid datetime string: %(reason)s"


class Conflict(NovaException):
    msg_fmt = "Conflict"
    code = 409


class InstanceInvalidState(Invalid):
    msg_fmt = ("Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s while "
               "the instance is in this state.")
    code = 409


class InstanceIsLocked(InstanceInvalidState):
    msg_fmt = "Instance %(instance_uuid)s is locked"


class InstanceNotReady(Invalid):
    msg_fmt = "Instance %(instance_id)s is not ready"


class ConsoleNotAvailable(NotFound):
    msg_fmt = "Guest does not have a console available."


class UnexpectedTaskStateError(Conflict):
    msg_fmt = ("Conflict updating instance %(instance_uuid)s. "
               "Expected: %(expected)s. Actual: %(actual)s")


class InstanceExists(NovaException):
    msg_fmt = "Instance %(name)s already exists."


class NoValidHost(NovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


class RescheduledException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s"


class BuildAbortException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class InstanceFaultRollback(NovaException):
    msg_fmt = "Instance rollback performed due to: %(inner_exception)s"


class NetworkAmbiguous(Invalid):
    msg_fmt = "More than one possible network found. Specify network ID(s)."
    code = 409


class ImageNotAuthorized(NovaException):
    msg_fmt = "Not authorized for image %(image_id)s."
    code = 403


class ImageNotActive(Invalid):
    msg_fmt = "Image %(image_id)s is not active."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "Flavor's disk is too small for requested image."


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class PortLimitExceeded(NovaException):
    msg_fmt = "Maximum number of ports exceeded"
    code = 403


class NoMoreFixedIps(NovaException):
    msg_fmt = "No fixed IP addresses available for network: %(net)s"


class AllocationUpdateFailed(NovaException):
    msg_fmt = "Failed to update allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class HypervisorUnavailable(NovaException):
    msg_fmt = "Connection to the hypervisor is broken on host"


class ServiceUnavailable(NovaException):
    msg_fmt = "Service is unavailable at this time."
    code = 503


# -- services, host aggregates and server groups (nova/exception.py) -----------------------
class InvalidInput(Invalid):
    msg_fmt = "Invalid input received: %(reason)s"


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostBinaryNotFound(NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class AggregateNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s could not be found."


class AggregateNameExists(NovaException):
    msg_fmt = "Aggregate %(aggregate_name)s already exists."


class AggregateHostNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no host %(host)s."


class AggregateHostExists(NovaException):
    msg_fmt = "Aggregate %(aggregate_id)s already has host %(host)s."


class InvalidAggregateAction(Invalid):
    msg_fmt = "Unacceptable parameters."


class InvalidAggregateActionAdd(InvalidAggregateAction):
    msg_fmt = "Cannot add host to aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionDelete(InvalidAggregateAction):
    msg_fmt = "Cannot remove host from aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    msg_fmt = "Cannot update aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    msg_fmt = "Cannot update metadata of aggregate %(aggregate_id)s. Reason: %(reason)s."


class InstanceGroupNotFound(NotFound):
    msg_fmt = "Instance group %(group_uuid)s could not be found."


class ServerGroupLimitExceeded(OverQuota):
    msg_fmt = "Quota exceeded, too many server groups."


class GroupMemberLimitExceeded(OverQuota):
    msg_fmt = "Quota exceeded, too many servers in group"


class UnsupportedPolicyException(Invalid):
    msg_fmt = "ServerGroup policy is not supported: %(reason)s"


class ResourceProviderNotFound(NotFound):
    msg_fmt = "No such resource provider %(name_or_uuid)s."


class ResourceProviderUpdateFailed(NovaException):
    msg_fmt = "Failed to update resource provider via URL %(url)s: %(error)s"


class ResourceProviderUpdateConflict(NovaException):
    msg_fmt = ("A conflict was encountered attempting to update resource provider "
               "%(uuid)s (generation %(generation)s): %(error)s")


def registry():
    """Every exception class by name: RPC rebuilds remote errors from it
    (oslo.messaging's ``allowed_remote_exmods``)."""
    out = {}
    stack = [NovaException]
    while stack:
        cls = stack.pop()
        out[cls.__name__] = cls
        stack.extend(cls.__subclasses__())
    return out


class SecurityGroupNotFound(NotFound):
    msg_fmt = "Security group %(security_group_id)s not found."


class NoUniqueMatch(NovaException):
    msg_fmt = "No Unique Match Found."
    code = 409


class SecurityGroupNotExistsForInstance(Invalid):
    msg_fmt = ("Security group %(security_group_id)s not assigned to the instance "
               "%(instance_id)s")


class SecurityGroupCannotBeApplied(Invalid):
    msg_fmt = "Network requires port_security_enabled and subnet associated in order to " \
              "apply security groups."


# -- moves between hosts (resize, migrations) ----------------------------------------
class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class MigrationNotFoundByStatus(MigrationNotFound):
    msg_fmt = "Migration not found for instance %(instance_id)s with status %(status)s."


class MigrationNotFoundForInstance(MigrationNotFound):
    msg_fmt = "Migration %(migration_id)s not found for instance %(instance_id)s"


class MigrationError(NovaException):
    msg_fmt = "Migration error: %(reason)s"


class MigrationPreCheckError(MigrationError):
    msg_fmt = "Migration pre-check error: %(reason)s"


class CannotResizeToSameFlavor(NovaException):
    msg_fmt = "When resizing, instances must change flavor!"


class ResizeError(NovaException):
    msg_fmt = "Resize error: %(reason)s"


class CannotResizeDisk(NovaException):
    msg_fmt = "Server disk was unable to be resized because: %(reason)s"


class CannotMigrateToSameHost(NovaException):
    msg_fmt = "Cannot migrate to the host where the server exists."


class AllocationMoveFailed(NovaException):
    msg_fmt = ("Failed to move allocations from consumer %(source_consumer)s to consumer "
               "%(target_consumer)s. Error: %(error)s")


# -- rebuild and evacuate ----------------------------------------------------------
class ComputeServiceInUse(NovaException):
    msg_fmt = "Compute service of %(host)s is still in use."


class PreserveEphemeralNotSupported(Invalid):
    msg_fmt = "The current driver does not support preserving ephemeral partitions."


class InstanceEvacuateNotSupportedTargetState(Invalid):
    msg_fmt = "Target state '%(target_state)s' for instance evacuate is not supported."


class ComputeResourcesUnavailable(NovaException):
    msg_fmt = "Insufficient compute resources: %(reason)s."


class ConsumerAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for consumer %(consumer_uuid)s: %(error)s"


class ResourceProviderAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for resource provider %(rp_uuid)s: %(error)s"


class ResourceProviderTraitRetrievalFailed(NovaException):
    msg_fmt = "Failed to get traits for resource provider with UUID %(uuid)s"


# -- live migration ----------------------------------------------------------------
class ComputeServiceUnavailable(ServiceUnavailable):
    msg_fmt = "Compute service of %(host)s is unavailable at this time."


class UnableToMigrateToSelf(Invalid):
    msg_fmt = "Unable to migrate instance (%(instance_id)s) to current host (%(host)s)."


class InvalidHypervisorType(Invalid):
    msg_fmt = "The supplied hypervisor type of is invalid."


class DestinationHypervisorTooOld(Invalid):
    msg_fmt = "The instance requires a newer hypervisor version than has been provided."


class MigrationSchedulerRPCError(MigrationError):
    msg_fmt = "Migration select destinations error: %(reason)s"


class InvalidMigrationState(Invalid):
    msg_fmt = ("Migration %(migration_id)s state of instance %(instance_uuid)s is "
               "%(state)s. Cannot %(method)s while the migration is in this state.")


class InvalidCPUInfo(Invalid):
    msg_fmt = "Unacceptable CPU info: %(reason)s"
