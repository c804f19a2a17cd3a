"""The conductor's long operations, one task class each (nova/conductor/tasks/)."""
