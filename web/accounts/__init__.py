"""Accounts: login with throttling, logout, roles (one Django group per role)."""
