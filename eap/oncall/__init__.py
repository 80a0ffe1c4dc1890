"""Out of hours: the on-call rota, its content-free notices, and who can be reached now."""
