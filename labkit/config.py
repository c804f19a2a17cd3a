"""The lab's configuration: nova.conf options that matter here, with nova's defaults.

Real nova: nova/conf/*.py (oslo.config).  Every option below keeps its upstream
name (``quota_<name>`` for [quota] <name>) under a comment naming its section, or is
marked labkit only; pass any of them to ``labkit.start(**options)``.
"""
import dataclasses
import json
import pathlib

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"
PACKAGE_DATA = pathlib.Path(__file__).resolve().parent / "data"


@dataclasses.dataclass
class Config:
    # [DEFAULT]
    shelved_offload_time: int = 0            # 0 offload at once, -1 never, N>0 after N s
    shelved_poll_interval: float = 3600.0    # periodic _poll_shelved_instances; <= 0 never
    rpc_response_timeout: float = 60.0       # oslo.messaging: a call's timeout
    long_rpc_timeout: float = 1800.0         # select_destinations' timeout
    report_interval: float = 10.0            # compute service heartbeat; 0 none
    service_down_time: float = 60.0          # ComputeFilter: older heartbeat = dead
    default_availability_zone: str = "nova"  # the zone of a compute host in no AZ aggregate
    internal_service_availability_zone: str = "internal"   # conductor, scheduler
    default_schedule_zone: str = None        # the zone of a boot that names none
    max_concurrent_builds: int = 10          # builds at once per host; 0 no limit
    migrate_max_retries: int = -1            # live migration: hosts to try after the first; -1 any
    compute_workers: int = 4                 # labkit only: RPC worker threads per host
    conductor_workers: int = 4               # [conductor] workers (threads here, not processes)
    scheduler_workers: int = 2               # [scheduler] workers (threads here, not processes)
    # [scheduler] / [filter_scheduler]
    max_attempts: int = 3                    # chosen host + (max_attempts - 1) alternates
    max_placement_results: int = 1000        # limit= on GET /allocation_candidates
    host_subset_size: int = 1
    # what may be enabled: dotted paths to filter classes, or to a function returning
    # them (nova's MultiStrOpt); a notebook may give a class it defined itself
    available_filters: tuple = ("labkit.nova.scheduler.filters.all_filters",)
    enabled_filters: tuple = ("ComputeFilter", "ComputeCapabilitiesFilter",
                              "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter",
                              "ServerGroupAffinityFilter")
    weight_classes: tuple = ("labkit.nova.scheduler.weights.all_weighers",)
    ram_weight_multiplier: float = 1.0
    cpu_weight_multiplier: float = 1.0
    disk_weight_multiplier: float = 1.0
    io_ops_weight_multiplier: float = -1.0
    build_failure_weight_multiplier: float = 1000000.0
    soft_affinity_weight_multiplier: float = 1.0
    soft_anti_affinity_weight_multiplier: float = 1.0
    # [placement] (placement.conf): with a limit, a random sample of every candidate
    # rather than the first ones (placement/objects/allocation_candidate.py)
    randomize_allocation_candidates: bool = False
    # [token] (keystone)
    token_expiration: int = 3600
    token_cache_time: int = 300              # [keystone_authtoken]; -1 no cache
    # [api]
    max_api_version: str = "2.100"           # labkit only (nova: _MAX_API_VERSION)
    enable_instance_password: bool = True
    # [quota] (nova/conf/quota.py; -1 is unlimited)
    quota_instances: int = 10
    quota_cores: int = 20
    quota_ram: int = 51200
    quota_metadata_items: int = 128
    quota_injected_files: int = 5
    quota_injected_file_content_bytes: int = 10240
    quota_injected_file_path_length: int = 255
    quota_key_pairs: int = 100
    quota_server_groups: int = 10
    quota_server_group_members: int = 10
    # labkit only
    pin_threads: bool = True                 # the lab's threads on one CPU (labkit/runtime.py)
    gc_freeze: bool = True                   # the heap at start out of gc's passes (runtime.py)
    trace: bool = True
    notifications: bool = True
    # fake hypervisor: seconds each step takes (0 = instant), e.g. {"spawn": 1.0}
    virt_delays: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def from_options(cls, options):
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise TypeError(f"unknown lab option(s) {', '.join(unknown)}; "
                            f"known options: {', '.join(sorted(names))}")
        conf = cls(**options)
        for name in ("available_filters", "enabled_filters", "weight_classes"):
            setattr(conf, name, tuple(getattr(conf, name)))
        if not isinstance(conf.max_placement_results, int) or conf.max_placement_results < 1:
            # oslo.config's IntOpt(min=1) refuses it at start, as nova-scheduler would
            raise ValueError("max_placement_results must be a whole number >= 1 ([scheduler] "
                             f"max_placement_results), not {conf.max_placement_results!r}")
        return conf


def load_data(name, data_dir=None):
    """Read one of the seed data files (``data/<name>.json``)."""
    for folder in ([pathlib.Path(data_dir)] if data_dir else []) + [DATA_DIR, PACKAGE_DATA]:
        path = folder / f"{name}.json"
        if path.exists():
            return json.loads(path.read_text())
    raise FileNotFoundError(f"seed data file {name}.json not found in {DATA_DIR}")
