"""Pacemaker models: corosync votequorum arithmetic and the scheduler's placement scores."""
