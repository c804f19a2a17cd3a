"""keystonemiddleware: the middleware every OpenStack API runs in front of its own code.

Real keystonemiddleware: keystonemiddleware/ (the library services put in their
paste pipelines); labkit has its ``auth_token`` (labkit/keystonemiddleware/auth_token/).
"""
