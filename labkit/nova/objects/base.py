"""Nova's versioned objects, reduced to what travels and what saves.

Real nova: nova/objects/base.py (NovaObject, NovaObjectSerializer) on
oslo.versionedobjects.  An object knows its fields, which of them changed,
how to turn itself into the ``nova_object.*`` primitive that goes on the
wire, and how to save: straight to the database where the service has one,
or — in nova-compute — by an RPC call to the conductor (``indirection_api``),
which is why "nova-conductor talks to the db".

NOTE(labkit): fields are plain JSON values (no field types or coercion) and
there is no version negotiation; ``VERSION`` is carried for show.
"""
REGISTRY = {}


def remotable(fn):
    """Run this method in the conductor when the context has no database.

    Real nova: oslo_versionedobjects/base.py:remotable — calls
    ``indirection_api.object_action`` instead of running locally.
    """
    def wrapper(self, *args, **kwargs):
        ctxt = self._context
        if getattr(ctxt, "indirection_api", None) is not None:
            updates, result = ctxt.indirection_api.object_action(
                ctxt, self, fn.__name__, args, kwargs)
            for key, value in updates.items():
                object.__setattr__(self, key, value) if key in self.fields else None
            self.obj_reset_changes()
            return result
        return fn(self, *args, **kwargs)
    wrapper.__name__, wrapper.__qualname__ = fn.__name__, fn.__qualname__
    wrapper.__doc__, wrapper.remotable = fn.__doc__, True
    return wrapper


def remotable_classmethod(fn):
    """Class-level counterpart of ``remotable`` (object_class_action_versions)."""
    def wrapper(cls, context, *args, **kwargs):
        if getattr(context, "indirection_api", None) is not None:
            return context.indirection_api.object_class_action_versions(
                context, cls.obj_name(), fn.__name__, {cls.obj_name(): cls.VERSION},
                args, kwargs)
        return fn(cls, context, *args, **kwargs)
    wrapper.__name__, wrapper.__qualname__ = fn.__name__, fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    return classmethod(wrapper)


class NovaObject:
    VERSION = "1.0"
    fields = ()
    defaults = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        REGISTRY[cls.__name__] = cls

    def __init__(self, context=None, **values):
        static, factories = self._obj_defaults()
        state = self.__dict__
        state.update(static)
        state["_context"], state["_changes"] = context, set()
        for name, factory in factories:
            state[name] = factory()
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def _obj_defaults(cls):
        """Each field's default, worked out once per class: (plain values, factories)."""
        cached = cls.__dict__.get("_obj_defaults_cache")
        if cached is None or cached[0] is not cls.fields:
            defaults = {name: cls.defaults.get(name) for name in cls.fields}
            static = {k: v for k, v in defaults.items() if not callable(v)}
            factories = [(k, v) for k, v in defaults.items() if callable(v)]
            cached = (cls.fields, static, factories)
            cls._obj_defaults_cache = cached
        return cached[1], cached[2]

    @classmethod
    def obj_name(cls):
        return cls.__name__

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if name in self.fields:
            self._changes.add(name)

    def obj_what_changed(self):
        return set(self._changes)

    def obj_reset_changes(self, fields=None):
        if fields is None:
            self._changes.clear()
        else:
            self._changes.difference_update(fields)

    def obj_get_changes(self):
        return {name: getattr(self, name) for name in self._changes}

    def obj_to_primitive(self):
        state = self.__dict__
        data = {}
        for name in self.fields:
            value = state[name]
            data[name] = value.obj_to_primitive() if isinstance(value, NovaObject) else value
        return {"nova_object.name": self.obj_name(), "nova_object.namespace": "nova",
                "nova_object.version": self.VERSION, "nova_object.data": data,
                "nova_object.changes": sorted(self._changes)}

    @classmethod
    def obj_from_primitive(cls, primitive, context=None):
        """The object a primitive describes; fields it leaves out take their defaults."""
        klass = REGISTRY[primitive["nova_object.name"]]
        static, factories = klass._obj_defaults()
        obj = object.__new__(klass)
        state = obj.__dict__
        state.update(static)
        state["_context"], state["_changes"] = context, set(primitive.get("nova_object.changes", ()))
        data = primitive["nova_object.data"]
        for name, factory in factories:
            if name not in data:
                state[name] = factory()
        for name, value in data.items():
            if isinstance(value, dict) and "nova_object.name" in value:
                value = NovaObject.obj_from_primitive(value, context)
            state[name] = value
        return obj

    def obj_clone(self):
        """A copy whose fields can be reassigned without touching this object.

        NOTE(labkit): oslo's obj_clone is a deepcopy; labkit copies the fields
        and clones nested objects, which is what the conductor's diff in
        ``object_action`` needs (field values are replaced, not mutated, on save).
        """
        clone = object.__new__(type(self))
        state = clone.__dict__
        state.update(self.__dict__)
        state["_changes"] = set(self._changes)
        for name in self.fields:
            value = state.get(name)
            if isinstance(value, NovaObject):
                state[name] = value.obj_clone()
        return clone

    def __repr__(self):
        ident = getattr(self, "uuid", None) or getattr(self, "id", None)
        return f"{self.obj_name()}({ident})"


class NovaObjectDictCompat:
    """An object that reads like a dict too: ``service["host"]``, ``node.get("stats")``.

    Real nova: nova/objects/base.py:NovaObjectDictCompat (oslo's
    VersionedObjectDictCompat), which Flavor, Service and InstanceAction mix in.
    NOTE(labkit): labkit's ComputeNode mixes it in as well, for callers that read
    a node as its row.
    """

    @classmethod
    def _from_db_object(cls, context, row):
        """The object of one database row, with no changes pending.

        NOTE(labkit): a column that is not one of the object's fields is kept as a
        plain attribute (readable, never sent on the wire), where nova's objects
        declare every column a field.
        """
        obj = cls(context, **{k: row[k] for k in cls.fields if k in row})
        for key, value in row.items():
            if key not in cls.fields:
                object.__setattr__(obj, key, value)
        obj.obj_reset_changes()
        return obj

    def get(self, key, default=None):
        return getattr(self, key, default)

    def __getitem__(self, key):
        return getattr(self, key)

    def __contains__(self, key):
        return getattr(self, key, None) is not None


class NovaObjectSerializer:
    """Objects to and from wire primitives (nova/objects/base.py:NovaObjectSerializer)."""

    def serialize_entity(self, context, entity):
        kind = type(entity)
        if kind in _PLAIN:
            return entity
        if isinstance(entity, NovaObject):
            return entity.obj_to_primitive()
        if isinstance(entity, (list, tuple)):
            return [self.serialize_entity(context, e) for e in entity]
        if isinstance(entity, dict):
            return {k: self.serialize_entity(context, v) for k, v in entity.items()}
        return entity

    def deserialize_entity(self, context, entity):
        kind = type(entity)
        if kind in _PLAIN:
            return entity
        if kind is dict:
            if "nova_object.name" in entity:
                return NovaObject.obj_from_primitive(entity, context)
            return {k: self.deserialize_entity(context, v) for k, v in entity.items()}
        if kind is list:
            return [self.deserialize_entity(context, e) for e in entity]
        return entity


_PLAIN = frozenset({str, int, float, bool, type(None)})     # what needs no walking
