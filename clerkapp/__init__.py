"""clerkapp: Proposition 64 relief for California court clerks, from import to signed order."""

__version__ = "0.1.0"
