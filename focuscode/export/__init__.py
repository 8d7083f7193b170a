"""Domain objects to tables and files. Writers are atomic: a temporary file renamed into place."""
