"""The contract between nova-compute and a hypervisor.

Real nova: nova/virt/driver.py:ComputeDriver (libvirt, VMware, Ironic ...
implement it).  nova-compute calls only these methods, so a fake hypervisor
behind the same contract exercises every hop of the real flow.
"""


class ComputeDriver:
    def init_host(self, host):
        pass

    def get_available_resource(self, nodename):
        raise NotImplementedError

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None):
        raise NotImplementedError

    def destroy(self, context, instance, network_info, block_device_info=None):
        raise NotImplementedError

    def power_off(self, instance, timeout=0, retry_interval=0):
        raise NotImplementedError

    def power_on(self, context, instance, network_info, block_device_info=None):
        raise NotImplementedError

    def snapshot(self, context, instance, image_id, update_task_state):
        raise NotImplementedError

    def get_info(self, instance):
        raise NotImplementedError

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None):
        raise NotImplementedError

    def pause(self, instance):
        raise NotImplementedError

    def unpause(self, instance):
        raise NotImplementedError

    def suspend(self, context, instance):
        raise NotImplementedError

    def resume(self, context, instance, network_info, block_device_info=None):
        raise NotImplementedError

    def get_console_output(self, context, instance):
        raise NotImplementedError

    def list_instance_uuids(self):
        """The uuids of the guests this hypervisor has (nova-compute's start-up asks)."""
        raise NotImplementedError

    def instance_exists(self, instance):
        """Whether this hypervisor has the guest (nova: ComputeDriver.instance_exists)."""
        return instance.uuid in self.list_instance_uuids()
