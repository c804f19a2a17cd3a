"""glance_store: where glance keeps image data (real glance_store: glance_store/)."""
