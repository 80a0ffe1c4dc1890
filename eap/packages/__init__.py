"""Service packages: what an employer can buy (administered by iGuS, shown publicly)."""
