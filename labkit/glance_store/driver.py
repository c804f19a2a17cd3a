"""Where image bytes live once uploaded: a store with glance_store's add, get and delete.

Real glance_store: glance_store/driver.py (Store, the interface every driver
implements) and glance_store/_drivers/filesystem.py (Store.add computes the
size and the checksums while writing the file under filesystem_store_datadir).
NOTE(labkit): bytes are kept in memory, one dict per glance.
"""
import hashlib
import threading


class MemoryStore:
    def __init__(self):
        self._data = {}
        self._lock = threading.Lock()

    def add(self, image_id, data):
        """Store ``data``; returns ``(size, md5 checksum, sha512 multihash)``."""
        with self._lock:
            self._data[image_id] = bytes(data)
        return len(data), hashlib.md5(data).hexdigest(), hashlib.sha512(data).hexdigest()

    def get(self, image_id):
        with self._lock:
            return self._data.get(image_id)

    def delete(self, image_id):
        with self._lock:
            self._data.pop(image_id, None)
