"""The images v2 API: list, show, create, upload, download, update and delete.

Real glance: glance/api/v2/images.py (ImagesController, RequestDeserializer,
ResponseSerializer) and glance/api/v2/image_data.py (upload, download);
policy from glance/policies/image.py.
"""
import urllib.parse

from labkit.glance import schemas
from labkit.glance.db_api import is_image_visible
from labkit.keystone.middleware import request_context
from labkit.wsgi.app import HTTPError, json_body, json_response

TIME = "%Y-%m-%dT%H:%M:%SZ"
SORT_KEYS = ("name", "status", "container_format", "disk_format", "size", "id", "created_at",
             "updated_at", "visibility", "owner", "min_disk", "min_ram", "virtual_size")
FILTERS = ("name", "status", "owner", "disk_format", "container_format")
LIMIT_DEFAULT, LIMIT_MAX = 25, 1000       # [DEFAULT] limit_param_default, api_limit_max
PATCH_TYPE = "application/openstack-images-v2.1-json-patch"


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


class ImagesController:
    def __init__(self, repo, store, ids):
        self.repo, self.store, self.ids = repo, store, ids

    def _get_visible(self, context, image_id):
        image = self.repo.get(image_id)
        if image is None or not is_image_visible(context, image):
            raise HTTPError(404, f"No image found with ID {image_id}")
        return image

    def _check_owner(self, context, image, action):
        """glance/policies: modify/upload/delete_image are admin or the owning project."""
        if not (context.is_admin or image["owner"] == context.project_id):
            raise HTTPError(403, f"You are not authorized to complete {action} action.")

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
        return json_response(200, image_view(self._get_visible(request_context(req.environ),
                                                               image_id)))

    def delete(self, req, image_id):
        context = request_context(req.environ)
        image = self._get_visible(context, image_id)
        self._check_owner(context, image, "delete_image")
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
            if key in schemas.READ_ONLY:
                raise HTTPError(403, f"Attribute '{key}' is read-only.")
            if key in schemas.RESERVED:
                raise HTTPError(403, f"Attribute '{key}' is reserved.")
        error = schemas.validate(body)
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
        base = set(schemas.BASE_PROPERTIES) | {"tags"}
        values = {"id": image_id, "name": body.get("name"), "status": "queued",
                  "visibility": body.get("visibility", "shared"),
                  "protected": body.get("protected", False),
                  "os_hidden": body.get("os_hidden", False),
                  "min_disk": body.get("min_disk", 0), "min_ram": body.get("min_ram", 0),
                  "disk_format": body.get("disk_format"),
                  "container_format": body.get("container_format"), "owner": owner}
        properties = {k: v for k, v in body.items() if k not in base}
        image = self.repo.create(values, properties, body.get("tags", []))
        return json_response(201, image_view(image),
                             headers={"Location": f"{req.host_url}/v2/images/{image_id}"})

    # -- PUT/GET /v2/images/{id}/file (image_data.py) --------------------------------------
    def upload(self, req, image_id):
        context = request_context(req.environ)
        image = self._get_visible(context, image_id)
        self._check_owner(context, image, "upload_image")
        if req.content_type != "application/octet-stream":
            raise HTTPError(415, "Content-Type must be application/octet-stream")
        if image["status"] != "queued":
            raise HTTPError(409, f"Image status transition from {image['status']} to saving "
                                 "is not allowed")
        size, checksum, multihash = self.store.add(image_id, req.body)
        done = self.repo.update(image_id, {"status": "active", "size": size,
                                           "virtual_size": None, "checksum": checksum,
                                           "os_hash_algo": "sha512", "os_hash_value": multihash},
                                from_status="queued")
        if not done:
            self.store.delete(image_id)
            raise HTTPError(409, "Image status transition from active to saving is not allowed")
        return json_response(204)

    def download(self, req, image_id):
        image = self._get_visible(request_context(req.environ), image_id)
        if image["status"] == "deactivated":
            raise HTTPError(403, "The requested image has been deactivated. Image data "
                                 "download is forbidden.")
        data = self.store.get(image_id)
        if data is None:      # no data uploaded (or a seeded image): glance answers 204
            return json_response(204)
        resp = json_response(200)
        resp.content_type = "application/octet-stream"
        resp.body = data
        if image["checksum"]:
            resp.headers["Content-MD5"] = image["checksum"]
        return resp

    # -- PATCH /v2/images/{id} (JSON patch) ---------------------------------------------
    def update(self, req, image_id):
        context = request_context(req.environ)
        image = self._get_visible(context, image_id)
        self._check_owner(context, image, "modify_image")
        if req.content_type != PATCH_TYPE:
            raise HTTPError(415, f"Invalid media type '{req.content_type}' for PATCH. Use "
                                 f"{PATCH_TYPE}.", headers={"Accept-Patch": PATCH_TYPE})
        changes = json_body(req)
        if not isinstance(changes, list):
            raise HTTPError(400, "Request body must be a JSON array of operation objects.")
        doc = image_view(image)
        for change in changes:
            self._apply(doc, change, context)
        error = schemas.validate({k: v for k, v in doc.items()
                                  if not schemas.BASE_PROPERTIES.get(k, {}).get("readOnly")})
        if error:
            raise HTTPError(400, error)
        base = set(schemas.BASE_PROPERTIES)
        values = {k: doc[k] for k in ("name", "visibility", "protected", "os_hidden", "min_disk",
                                      "min_ram", "disk_format", "container_format")}
        properties = {k: v for k, v in doc.items() if k not in base}
        self.repo.update(image_id, values, properties, doc["tags"])
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
        if path in schemas.READ_ONLY or path in ("id", "owner"):
            raise HTTPError(403, f"Attribute '{path}' is read-only.")
        if path in schemas.RESERVED:
            raise HTTPError(403, f"Attribute '{path}' is reserved.")
        if path == "visibility" and change.get("value") == "public" and not context.is_admin:
            raise HTTPError(403, "You are not authorized to complete publicize_image action.")
        if change["op"] == "remove":
            if path in schemas.BASE_PROPERTIES or path == "tags":
                raise HTTPError(403, f"Properties {path} must be present.")
            if path not in doc:
                raise HTTPError(409, f"Property {path} does not exist.")
            del doc[path]
        elif change["op"] == "replace" and path not in doc:
            raise HTTPError(409, f"Property {path} does not exist.")
        else:
            doc[path] = change.get("value")
