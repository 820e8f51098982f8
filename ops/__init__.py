"""Operations around the service core: HTTP middleware, metrics, health, profiling, graceful shutdown."""
