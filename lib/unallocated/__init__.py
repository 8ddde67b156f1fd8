"""unallocated: read councils' FOI returns on unallocated children's social care cases, resolve
councils, define what "unallocated" means, apply corrections and check published claims.

Three layers of numbers are kept apart everywhere: official statistics (DfE/ONS), published
figures (what the 2010 coverage printed) and FOI returns (real or simulated).
"""
__version__ = "0.1.0"
