"""glance: the image service (images v2).

Real glance: glance/api/v2/images.py and image_data.py, glance/db/sqlalchemy/,
and the store behind it, glance_store (labkit/glance_store/).
"""
