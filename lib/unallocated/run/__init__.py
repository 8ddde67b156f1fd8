"""The top floor: the command line and everything that runs the investigation. Nothing imports it.

    cli             `python -m unallocated COMMAND`: one module registers each command
    runner          executes notebooks on warm Jupyter kernels, writes them and their pages
    parameters      checks a notebook's parameters against its parameters cell
    reproduce       `make reproduce`: every notebook and report, rerunning only what changed
    factcheck_cli   `python -m unallocated factcheck`
    bench           `make bench`: the timings, against the floor of plain function calls
"""
