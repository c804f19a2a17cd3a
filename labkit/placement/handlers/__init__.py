"""placement's HTTP handlers (real placement: placement/handlers/)."""


class Handler:
    """Every handler class works on the service's one database."""

    def __init__(self, db, ids):
        self.db, self.ids = db, ids
