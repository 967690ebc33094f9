"""The facilitator's team-formation flow: run the optimiser, adjust, publish."""
