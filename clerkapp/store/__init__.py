from clerkapp.store.db import Store

__all__ = ["Store"]
