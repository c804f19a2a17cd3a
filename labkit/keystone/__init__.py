"""keystone: identity, tokens and the service catalog, plus the auth middleware every API uses.

Real keystone: keystone/ (api/, auth/, token/, identity/, resource/,
assignment/, catalog/); the middleware is keystonemiddleware's auth_token.
"""
