"""placement's SQL side (real placement: placement/objects/)."""
