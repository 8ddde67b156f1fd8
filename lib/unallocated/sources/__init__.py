"""Where the investigation's outside facts come from: the official files (fetched and checked),
council identity over time, and the official statistics table derived from those files.

    official    the manifest of official files; `make data` fetches and checks them
    councils    council names and codes, boundary changes, the resolver
    reference   the official statistics table (DfE, ONS) and caseloads by council and year

Nothing here imports the rest of the investigation.
"""
