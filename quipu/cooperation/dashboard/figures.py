"""The sections of the cooperation dashboard, one per workflow (registered on import)."""
