"""The ground floor: small helpers that import nothing else from the package."""
