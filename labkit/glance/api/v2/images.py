"""The images v2 API: list, show, create, update and delete, and the image schema.

Real glance: glance/api/v2/images.py (ImagesController, RequestDeserializer,
ResponseSerializer, and the schema of an image: get_base_properties,
get_schema, get_collection_schema); policy from glance/policies/image.py.
Uploading and downloading an image's data is glance/api/v2/image_data.py.
"""
import functools
import urllib.parse

import jsonschema

from labkit.common import schema as schema_cache
from labkit.glance.db.sqlalchemy.api import Invalid, is_image_visible
from labkit.keystonemiddleware.auth_token import request_context
from labkit.wsgi.app import HTTPError, json_body, json_response

TIME = "%Y-%m-%dT%H:%M:%SZ"
SORT_KEYS = ("name", "status", "container_format", "disk_format", "size", "id", "created_at",
             "updated_at", "visibility", "owner", "min_disk", "min_ram", "virtual_size")
FILTERS = ("name", "status", "owner", "disk_format", "container_format")
LIMIT_DEFAULT, LIMIT_MAX = 25, 1000       # [DEFAULT] limit_param_default, api_limit_max
PATCH_TYPE = "application/openstack-images-v2.1-json-patch"

# -- the image schema (get_base_properties, get_schema) ------------------------------------
DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop"]
CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
READ_ONLY = ("created_at", "updated_at", "status", "checksum", "os_hash_algo",
             "os_hash_value", "size", "virtual_size", "direct_url", "self", "file", "schema",
             "locations")
RESERVED = ("location", "deleted", "deleted_at")

BASE_PROPERTIES = {
    "id": {"type": "string", "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
                                        "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
    "name": {"type": ["null", "string"], "maxLength": 255},
    "status": {"type": "string", "readOnly": True,
               "enum": ["queued", "saving", "active", "killed", "deleted", "uploading",
                        "importing", "pending_delete", "deactivated"]},
    "visibility": {"type": "string", "enum": ["community", "public", "private", "shared"]},
    "protected": {"type": "boolean"},
    "os_hidden": {"type": "boolean"},
    "checksum": {"type": ["null", "string"], "readOnly": True, "maxLength": 32},
    "os_hash_algo": {"type": ["null", "string"], "readOnly": True, "maxLength": 64},
    "os_hash_value": {"type": ["null", "string"], "readOnly": True, "maxLength": 128},
    "owner": {"type": ["null", "string"], "maxLength": 255},
    "size": {"type": ["null", "integer"], "readOnly": True},
    "virtual_size": {"type": ["null", "integer"], "readOnly": True},
    "container_format": {"type": ["null", "string"], "enum": [None] + CONTAINER_FORMATS},
    "disk_format": {"type": ["null", "string"], "enum": [None] + DISK_FORMATS},
    "created_at": {"type": "string", "readOnly": True},
    "updated_at": {"type": "string", "readOnly": True},
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
    "min_ram": {"type": "integer"},
    "min_disk": {"type": "integer"},
    "self": {"type": "string", "readOnly": True},
    "file": {"type": "string", "readOnly": True},
    "schema": {"type": "string", "readOnly": True},
}
LINKS = [{"rel": "self", "href": "{self}"}, {"rel": "enclosure", "href": "{file}"},
         {"rel": "describedby", "href": "{schema}"}]


@functools.lru_cache(maxsize=None)
def get_schema():
    """The image schema (built once: validators are cached per schema object)."""
    return {"name": "image", "properties": dict(BASE_PROPERTIES),
            "additionalProperties": {"type": "string"}, "links": LINKS}


def get_collection_schema():
    """The schema of a list of images."""
    return {"name": "images",
            "properties": {"images": {"type": "array", "items": get_schema()},
                           "schema": {"type": "string"}, "first": {"type": "string"},
                           "next": {"type": "string"}},
            "links": [{"rel": "first", "href": "{first}"}, {"rel": "next", "href": "{next}"},
                      {"rel": "describedby", "href": "{schema}"}]}


def validate(image):
    """The body checked against the image schema (RequestDeserializer._validate):
    None, or the message of glance's 400 ("Provided object does not match ...")."""
    try:
        schema_cache.validate(image, get_schema())
    except jsonschema.ValidationError as exc:
        return f"Provided object does not match schema 'image': {exc.message}"
    return None


def check_sizes(values):
    """min_disk and min_ram as an image may hold them: glance/domain/__init__.py's
    Image.min_disk and min_ram setters refuse a negative value (InvalidParameterValue,
    a 400); the database then refuses one past its INT column (_validate_db_int)."""
    for key in ("min_disk", "min_ram"):
        if values[key] and values[key] < 0:
            raise HTTPError(400, f"Invalid value '{values[key]}' for parameter '{key}': "
                                 "Cannot be a negative value")


def image_view(image):
    """ResponseSerializer._format_image: base fields, then properties at top level."""
    out = {key: image[key] for key in (
        "id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
        "os_hash_algo", "os_hash_value", "size", "virtual_size", "min_disk", "min_ram",
        "disk_format", "container_format", "owner")}
    out["tags"] = list(image["tags"])
    out["created_at"] = image["created_at"].strftime(TIME)
    out["updated_at"] = (image["updated_at"] or image["created_at"]).strftime(TIME)
    out["self"] = f"/v2/images/{image['id']}"
    out["file"] = f"/v2/images/{image['id']}/file"
    out["schema"] = "/v2/schemas/image"
    for key, value in image["properties"].items():
        out.setdefault(key, value)
    return out


def get_visible(repo, context, image_id):
    """The image if the caller may see it, else glance's 404 (hidden and unknown alike)."""
    image = repo.get(image_id)
    if image is None or not is_image_visible(context, image):
        raise HTTPError(404, f"No image found with ID {image_id}")
    return image


def check_owner(context, image, action):
    """glance/policies: modify/upload/delete_image are admin or the owning project."""
    if not (context.is_admin or image["owner"] == context.project_id):
        raise HTTPError(403, f"You are not authorized to complete {action} action.")


class ImagesController:
    def __init__(self, repo, store, ids):
        self.repo, self.store, self.ids = repo, store, ids

    # -- GET /v2/images ---------------------------------------------------------------
    def index(self, req):
        context = request_context(req.environ)
        params = req.GET
        filters = {key: params[key] for key in FILTERS if key in params}
        if "id" in params:
            value = params["id"]
            filters["id"] = value[3:].split(",") if value.startswith("in:") else [value]
        if "tag" in params:
            filters["tag"] = params["tag"]
        hidden = params.get("os_hidden", "false").lower() == "true"
        visibility = params.get("visibility")
        if visibility not in (None, "public", "private", "shared", "community", "all"):
            raise HTTPError(400, f"Invalid visibility value: {visibility}")
        images = [i for i in self.repo.list(filters, self._sort(params))
                  if i["os_hidden"] == hidden and self._listed(context, i, visibility)]
        limit = self._limit(params)
        if "marker" in params:
            ids = [i["id"] for i in images]
            if params["marker"] not in ids:
                raise HTTPError(400, f"Invalid marker. Image {params['marker']} could not "
                                     "be found.")
            images = images[ids.index(params["marker"]) + 1:]
        page = images[:limit]
        query = [(k, v) for k, v in params.items() if k != "marker"]
        body = {"images": [image_view(i) for i in page], "schema": "/v2/schemas/images",
                "first": "/v2/images" + ("?" + urllib.parse.urlencode(query) if query else "")}
        if len(page) == limit and len(images) > limit:
            nxt = [(k, v) for k, v in query if k != "limit"] + [("marker", page[-1]["id"]),
                                                                 ("limit", str(limit))]
            body["next"] = "/v2/images?" + urllib.parse.urlencode(nxt)
        return json_response(200, body)

    @staticmethod
    def _listed(context, image, visibility):
        """glance/db/sqlalchemy/api.py:_select_images_query's visibility rules."""
        mine = image["owner"] == context.project_id
        if visibility in (None, "all"):
            if image["visibility"] == "community":
                return visibility == "all" or mine or context.is_admin
            return context.is_admin or image["visibility"] == "public" or mine
        if image["visibility"] != visibility:
            return False
        return visibility in ("public", "community") or mine or context.is_admin

    @staticmethod
    def _sort(params):
        keys = params.getall("sort_key") or ["created_at"]
        dirs = params.getall("sort_dir") or ["desc"]
        if "sort" in params:
            pairs = [part.partition(":")[::2] for part in params["sort"].split(",")]
            keys, dirs = [k for k, _ in pairs], [d or "desc" for _, d in pairs]
        sort = []
        for n, key in enumerate(keys):
            if key not in SORT_KEYS:
                raise HTTPError(400, f"Invalid sort key: {key}. It must be one of the "
                                     f"following: {', '.join(SORT_KEYS)}.")
            direction = dirs[min(n, len(dirs) - 1)]
            if direction not in ("asc", "desc"):
                raise HTTPError(400, f"Invalid sort direction: {direction}")
            sort.append((key, direction))
        if "id" not in keys:
            sort.append(("id", sort[0][1]))
        return sort

    @staticmethod
    def _limit(params):
        try:
            limit = int(params.get("limit", LIMIT_DEFAULT))
        except ValueError:
            raise HTTPError(400, "limit param must be an integer") from None
        if limit < 0:
            raise HTTPError(400, "limit param must be positive")
        return min(limit, LIMIT_MAX)

    # -- GET/DELETE /v2/images/{id} ----------------------------------------------------
    def show(self, req, image_id):
        return json_response(200, image_view(get_visible(self.repo, request_context(req.environ),
                                                         image_id)))

    def delete(self, req, image_id):
        context = request_context(req.environ)
        image = get_visible(self.repo, context, image_id)
        check_owner(context, image, "delete_image")
        if image["protected"]:
            raise HTTPError(403, f"Image {image_id} is protected and cannot be deleted.")
        self.repo.destroy(image_id)
        self.store.delete(image_id)
        return json_response(204)

    # -- POST /v2/images ---------------------------------------------------------------
    def create(self, req):
        context = request_context(req.environ)
        body = json_body(req)
        if not isinstance(body, dict):
            raise HTTPError(400, "Malformed request body")
        for key in body:
            if key in READ_ONLY:
                raise HTTPError(403, f"Attribute '{key}' is read-only.")
            if key in RESERVED:
                raise HTTPError(403, f"Attribute '{key}' is reserved.")
        error = validate(body)
        if error:
            raise HTTPError(400, error)
        owner = body.get("owner") or context.project_id
        if owner != context.project_id and not context.is_admin:
            raise HTTPError(403, f"You are not permitted to create images owned by '{owner}'.")
        if body.get("visibility") == "public" and not context.is_admin:
            raise HTTPError(403, "You are not authorized to complete publicize_image action.")
        image_id = body.get("id") or self.ids.uuid4()
        if self.repo.exists(image_id):
            raise HTTPError(409, f"Image with identifier {image_id} already exists!")
        base = set(BASE_PROPERTIES) | {"tags"}
        values = {"id": image_id, "name": body.get("name"), "status": "queued",
                  "visibility": body.get("visibility", "shared"),
                  "protected": body.get("protected", False),
                  "os_hidden": body.get("os_hidden", False),
                  "min_disk": body.get("min_disk", 0), "min_ram": body.get("min_ram", 0),
                  "disk_format": body.get("disk_format"),
                  "container_format": body.get("container_format"), "owner": owner}
        properties = {k: v for k, v in body.items() if k not in base}
        check_sizes(values)
        try:
            image = self.repo.create(values, properties, body.get("tags", []))
        except Invalid as exc:
            raise HTTPError(400, str(exc)) from None
        return json_response(201, image_view(image),
                             headers={"Location": f"{req.host_url}/v2/images/{image_id}"})

    # -- PATCH /v2/images/{id} (JSON patch) ---------------------------------------------
    def update(self, req, image_id):
        context = request_context(req.environ)
        image = get_visible(self.repo, context, image_id)
        check_owner(context, image, "modify_image")
        if req.content_type != PATCH_TYPE:
            raise HTTPError(415, f"Invalid media type '{req.content_type}' for PATCH. Use "
                                 f"{PATCH_TYPE}.", headers={"Accept-Patch": PATCH_TYPE})
        changes = json_body(req)
        if not isinstance(changes, list):
            raise HTTPError(400, "Request body must be a JSON array of operation objects.")
        doc = image_view(image)
        for change in changes:
            self._apply(doc, change, context)
        error = validate({k: v for k, v in doc.items()
                                  if not BASE_PROPERTIES.get(k, {}).get("readOnly")})
        if error:
            raise HTTPError(400, error)
        base = set(BASE_PROPERTIES)
        values = {k: doc[k] for k in ("name", "visibility", "protected", "os_hidden", "min_disk",
                                      "min_ram", "disk_format", "container_format")}
        properties = {k: v for k, v in doc.items() if k not in base}
        check_sizes(values)
        try:
            self.repo.update(image_id, values, properties, doc["tags"])
        except Invalid as exc:
            raise HTTPError(400, str(exc)) from None
        return json_response(200, image_view(self.repo.get(image_id)))

    @staticmethod
    def _apply(doc, change, context):
        """One JSON-patch operation (glance/api/v2/images.py:_do_replace/_do_add/_do_remove)."""
        if not isinstance(change, dict) or change.get("op") not in ("add", "replace", "remove"):
            raise HTTPError(400, "Operation objects must contain exactly one member named "
                                 '"add", "remove", or "replace".')
        path = str(change.get("path", "")).lstrip("/")
        if "/" in path or not path:
            raise HTTPError(400, f"Invalid JSON pointer for this resource: '/{path}'")
        if path in READ_ONLY or path in ("id", "owner"):
            raise HTTPError(403, f"Attribute '{path}' is read-only.")
        if path in RESERVED:
            raise HTTPError(403, f"Attribute '{path}' is reserved.")
        if path == "visibility" and change.get("value") == "public" and not context.is_admin:
            raise HTTPError(403, "You are not authorized to complete publicize_image action.")
        if change["op"] == "remove":
            if path in BASE_PROPERTIES or path == "tags":
                raise HTTPError(403, f"Properties {path} must be present.")
            if path not in doc:
                raise HTTPError(409, f"Property {path} does not exist.")
            del doc[path]
        elif change["op"] == "replace" and path not in doc:
            raise HTTPError(409, f"Property {path} does not exist.")
        else:
            doc[path] = change.get("value")
