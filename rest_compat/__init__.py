"""The legacy REST contract of the original project and the OpenAI-compatible chat routes."""
