"""sunoapi.org's /api/v1/* (kie.ai and api.box serve the same contract) on SunoService, with its callbacks."""

from rest_compat.sunoapi.callbacks import sunoapi_callback_renderer
from rest_compat.sunoapi.routes import sunoapi_routes

__all__ = ["sunoapi_callback_renderer", "sunoapi_routes"]
