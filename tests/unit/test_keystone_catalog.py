"""Catalog helpers: the v3 → v2 conversion of X-Service-Catalog and url_for lookups."""
from labkit.keystone.catalog import url_for
from labkit.keystonemiddleware.auth_token import v3_to_v2_catalog

V3 = [{"type": "image", "name": "glance", "id": "s1", "endpoints": [
    {"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
     "url": "http://glance"},
    {"id": "e2", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne",
     "url": "http://glance-internal"}]}]


def test_v3_to_v2_merges_interfaces_per_region():
    assert v3_to_v2_catalog(V3) == [{"type": "image", "name": "glance", "endpoints": [
        {"region": "RegionOne", "publicURL": "http://glance",
         "internalURL": "http://glance-internal"}]}]


def test_url_for_reads_both_catalog_forms():
    assert url_for(V3, "image") == "http://glance"
    assert url_for(V3, "image", "internal") == "http://glance-internal"
    assert url_for(v3_to_v2_catalog(V3), "image", "internal") == "http://glance-internal"
    assert url_for(V3, "image", region_name="Elsewhere") is None
    assert url_for(V3, "compute") is None
