"""Administration: invitations, accounts and roles, key status."""
