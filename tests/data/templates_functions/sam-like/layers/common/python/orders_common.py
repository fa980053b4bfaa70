"""Shared by the Orders functions through CommonLayer (Lambda puts the layer's python/ on the import path)."""


def require(event, *keys):
    missing = [key for key in keys if key not in event]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    return event
