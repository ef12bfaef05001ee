"""Identities: local accounts and sessions, the trusted proxy's header, API tokens; roles."""
