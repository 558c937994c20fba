"""The person relieved: notices, the counter look-up and its confirmation of relief."""
