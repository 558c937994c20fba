"""The clerk's decisions on determinations (approve, deny, defer, override, undo)."""
