"""The root resolvers: read GraphQL arguments, call SunoService, return schema types (built by their from_domain)."""
