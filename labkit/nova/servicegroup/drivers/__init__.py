"""Servicegroup drivers (nova/servicegroup/drivers/)."""
