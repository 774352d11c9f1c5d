"""The reference model zoo: one readable file per model (see `base.py` for the contract)."""
