"""os-getConsoleOutput, a server's console log (nova/api/openstack/compute/console_output.py).

The one server action that answers with data (200 {"output": ...}): nova-api
*calls* the server's host and waits for the text; nothing is saved, no instance
action is recorded.
"""
import re

from labkit.nova import exception, policy
from labkit.nova.api import validation
from labkit.nova.api.openstack import common, wsgi
from labkit.nova.api.openstack.compute.schemas import console_output as schema
from labkit.wsgi.app import HTTPError

_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0B-\x1F]")


class ConsoleOutputController:
    def __init__(self, compute_api):
        self.compute_api = compute_api

    def get_console_output(self, req, server_id, body):
        """Get text console output (the last ``length`` lines, if given)."""
        validation.validate(body, schema.get_console_output)
        context = req.environ["nova.context"]
        instance = common.get_instance(self.compute_api, context, server_id)
        policy.check(context, "os_compute_api:os-console-output", instance.project_id)
        length = body["os-getConsoleOutput"].get("length")
        try:
            output = self.compute_api.get_console_output(context, instance, length)
        except (exception.InstanceNotFound, exception.ConsoleNotAvailable) as exc:
            raise HTTPError(404, exc.format_message()) from None
        except exception.InstanceNotReady as exc:
            raise HTTPError(409, exc.format_message()) from None
        # control characters are removed, as nova does for old XML clients' sake
        return wsgi.response(200, {"output": _CONTROL_CHARACTERS.sub("", output)})
