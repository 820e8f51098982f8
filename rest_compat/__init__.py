"""The REST-shaped front doors (legacy/, openai/), one package each, and the pieces they share."""
