"""Employer clients: organisations and their HR users."""
