"""Service endpoints: liveness and readiness."""
