"""What the client tests share: the seed data's ids and reading a client's --debug output."""
import re

IMAGE_NAME = "cirros-0.6.2-x86_64-disk"
IMAGE_ID = "44c37b90-0ec3-460a-bdf2-bd8bb98c9fdf"
NET_ID = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"       # "private", the walkthrough's net-id


def debug_requests(output):
    """(method, url) of every ``REQ: curl ...`` line keystoneauth logs under --debug."""
    return re.findall(r"REQ: curl -g -i -X (\w+) \"?(\S+?)\"? ", output)


def request_id_after(output, method, url):
    """The x-openstack-request-id of the response that followed ``method url`` in --debug."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if re.search(rf"REQ: curl -g -i -X {method} \"?{re.escape(url)}\"? ", line):
            for later in lines[i + 1:]:
                if "RESP: [" in later:
                    m = re.search(r"x-openstack-request-id: (req-[0-9a-f-]{36})", later, re.I)
                    return m.group(1) if m else None
    return None
