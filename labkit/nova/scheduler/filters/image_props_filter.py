"""nova/scheduler/filters/image_props_filter.py: the host's hypervisor can run the image."""
from labkit.nova.scheduler import filters


class ImagePropertiesFilter(filters.BaseHostFilter):
    """Pass a host whose hypervisor type matches the image's ``img_hv_type``, if it names one."""

    RUN_ON_REBUILD = True      # a rebuild's new image must suit the server's host too

    def host_passes(self, host_state, spec_obj):
        props = (spec_obj.image or {}).get("properties") or {}
        wanted = props.get("img_hv_type") or props.get("hypervisor_type")
        return wanted is None or wanted == host_state.hypervisor_type
