"""htcds-learn."""
