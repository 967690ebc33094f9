"""Sign-up, sign-in, sessions, CSRF and roles: HTTP concerns over the vault's identity."""
