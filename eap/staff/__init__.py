"""iGuS staff accounts (triage, counsellor, admin) and their sign-in with TOTP."""
