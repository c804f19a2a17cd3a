"""keystone: identity, tokens and the service catalog.

Real keystone: keystone/ (api/, auth/, token/, identity/, resource/,
assignment/, catalog/).  The token check every API runs in front of its own code
is keystonemiddleware's auth_token, a library of its own
(labkit/keystonemiddleware/auth_token/).
"""
