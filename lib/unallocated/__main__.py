"""`python -m unallocated COMMAND ...`: the command line lives in `unallocated.run.cli`."""
from unallocated.run.cli import main, run  # noqa: F401 (main: tests and scripts call it from here)

if __name__ == "__main__":
    run()
