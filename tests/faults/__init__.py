"""Helper scripts that `tests/test_faults.py` runs in subprocesses."""
