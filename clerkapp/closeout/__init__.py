"""Closing the record after an order: the DOJ disposition update, the case-system update, the
close-out stage of each granted conviction, and the judge's batch reports."""
