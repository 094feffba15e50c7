"""Jobs that run on start-up and on a schedule."""


def expire_on_startup() -> None:
    """TODO(session): mark licences past validity as expired."""
