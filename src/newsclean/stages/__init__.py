"""Pipeline stages built as small packages (one folder per stage)."""
