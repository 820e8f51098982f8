"""The GraphQL schema: Strawberry types, inputs, enums and the Schema object."""
