"""The idea library: teams publish their final submission once every member has agreed."""
