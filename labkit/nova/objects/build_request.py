"""The pre-scheduling record of an instance.

Real nova: nova/objects/build_request.py (BuildRequest, BuildRequestList), kept
in the API database's build_requests table.
"""
import json
import re

from labkit.nova import exception
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject


class BuildRequest(NovaObject):
    """The pre-scheduling record nova-api keeps until the conductor creates the instance."""
    VERSION = "1.3"
    fields = ("instance_uuid", "project_id", "instance", "block_device_mappings", "tags")

    @classmethod
    def get_by_instance_uuid(cls, context, instance_uuid):
        """BuildRequestNotFound once the conductor (or a delete) has dropped it."""
        row = db.build_request_get_by_instance_uuid(context, instance_uuid)
        if row is None:
            raise exception.BuildRequestNotFound(uuid=instance_uuid)
        return cls(context, instance_uuid=row["instance_uuid"], project_id=row["project_id"],
                   instance=NovaObject.obj_from_primitive(row["instance"], context),
                   block_device_mappings=row["block_device_mappings"], tags=row["tags"])

    def create(self):
        db.build_request_create(self._context, self.instance_uuid, self.project_id,
                                self.instance.obj_to_primitive(),
                                self.block_device_mappings, self.tags)

    def destroy(self):
        """BuildRequestNotFound if it is gone already (a delete, or the conductor, won)."""
        if not db.build_request_destroy(self._context, self.instance_uuid):
            raise exception.BuildRequestNotFound(uuid=self.instance_uuid)


def _build_matches(instance, search_opts):
    """The database's filters, applied to an instance still being scheduled
    (BuildRequestList.get_by_filters: exact filters, and ``display_name`` as a
    regular expression)."""
    for key in ("host", "user_id", "vm_state"):
        if search_opts.get(key) is not None and getattr(instance, key) != search_opts[key]:
            return False
    name = search_opts.get("display_name")
    return not name or re.search(name, instance.display_name or "") is not None


class BuildRequestList:
    """Real nova: nova/objects/build_request.py:BuildRequestList (a plain list here)."""

    @staticmethod
    def get_by_filters(context, filters, limit=None, marker=None):
        """The build requests whose instances match, newest first, after ``marker``
        (MarkerNotFound if it is not among them), at most ``limit``.

        NOTE(labkit): nova's decodes every build request, then filters, sorts and
        pages; labkit decodes them newest first and stops at ``limit``, so a poll
        for "any still building?" (``limit=1``) costs one decode, however many
        boots are waiting.  Every build request is building: a ``vm_state``
        filter for another state matches none.
        """
        out, seen_marker = [], marker is None
        builds = () if filters.get("vm_state") not in (None, "building") else \
            db.build_request_get_all(context, filters.get("project_id"))
        for uuid, primitive in builds:
            if not seen_marker and uuid != marker:
                continue
            instance = NovaObject.obj_from_primitive(json.loads(primitive), context)
            if not _build_matches(instance, filters):
                continue
            if not seen_marker:
                seen_marker = True
                continue
            if limit is not None and len(out) >= limit:
                break
            out.append(BuildRequest(context, instance_uuid=uuid, project_id=instance.project_id,
                                    instance=instance))
        if not seen_marker:
            raise exception.MarkerNotFound(marker=marker)
        return out
