"""A person's own profile, record, export, erasure and audit trail."""
