"""A round of the FOI: its returns folder read once into tidy tables and cached.

    dataset    the 2010 round's returns and the timelines, as parquet-cached tables
"""
