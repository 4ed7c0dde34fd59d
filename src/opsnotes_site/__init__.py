"""Build, serve, test and benchmark tooling for the opsnotes site (not shipped to browsers)."""
