"""glance: the image service (images v2).

Real glance: glance/api/v2/images.py, glance/db/sqlalchemy/, glance_store.
"""
