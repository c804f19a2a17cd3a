"""Flavors: the sizes a server is booted with, kept in the API database.

Real nova: nova/objects/flavor.py (Flavor, FlavorList).
"""
from labkit.nova.db import api as db
from labkit.nova.objects.base import NovaObject, NovaObjectDictCompat


class Flavor(NovaObjectDictCompat, NovaObject):
    """One flavor; reads like a dict too, as nova's."""
    VERSION = "1.2"
    fields = ("id", "flavorid", "name", "memory_mb", "vcpus", "root_gb", "ephemeral_gb",
              "swap", "rxtx_factor", "is_public", "disabled", "description", "extra_specs")

    @classmethod
    def get_by_flavor_id(cls, context, flavor_id):
        """FlavorNotFound if there is none (Flavor._flavor_get_by_flavor_id_from_db)."""
        return cls._from_db_object(context, db.flavor_get_by_flavor_id(context, flavor_id))

    def create(self):
        db.flavor_create(self._context, self.obj_get_changes())
        self.obj_reset_changes()


class FlavorList:
    """Real nova: nova/objects/flavor.py:FlavorList.

    NOTE(labkit): ``get_all`` returns a plain list of the enabled flavors, where
    nova's takes filters, sorting and paging and returns an ObjectListBase.
    """

    @staticmethod
    def get_all(context):
        return [Flavor._from_db_object(context, row) for row in db.flavor_get_all(context)]
