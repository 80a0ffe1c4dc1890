"""Administration for iGuS admins: packages, staff accounts, organisations, audit log."""
