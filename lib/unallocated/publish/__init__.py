"""Publishing for the data desk and partner newsrooms, from the one data dictionary
(`unallocated/dictionary.toml`):

    tables      every published table, typed as the dictionary says
    database    outputs/unallocated.db (SQLite, written with sqlite-utils, atomically)
    metadata    the Datasette metadata: descriptions, licences, sources, canned queries
    package     outputs/package/: CSVs, datapackage.json, the Excel workbook, the licence notes
    dictionary  the dictionary turned into docs and allowed values
    cli         `python -m unallocated publish` and `explore`
"""
