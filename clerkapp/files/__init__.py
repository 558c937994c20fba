"""Files the app writes: under temporary names, recorded, then moved into place."""
