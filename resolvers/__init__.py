"""Thin GraphQL resolvers: read arguments, call SunoService, map domain values to GraphQL types."""
