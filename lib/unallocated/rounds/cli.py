"""`python -m unallocated round ...`: make a round, see where it stands, record what happened,
write its letters.

    round new NAME --date YYYY-MM-DD [--layer real_return|simulated]
    round status NAME [--today YYYY-MM-DD]
    round record NAME COUNCIL EVENT --date YYYY-MM-DD [--status ... --held ... --exemptions ...]
    round letters NAME KIND [--today YYYY-MM-DD]      KIND: request, chaser, review, ico, right_of_reply
    round list
"""
from __future__ import annotations

import argparse
import datetime as dt

from unallocated.errors import UnallocatedError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _today(args) -> dt.date:
    return args.today or dt.date.today()


def _cmd_new(args) -> int:
    from unallocated.rounds import new

    r = new.create(args.name, args.date, layer=args.layer, description=args.description or "")
    print(f"round {r.name}: {len(r.councils())} councils with children's services on {r.councils_on}")
    print(f"  {r.folder}/ request.md, requests.csv (the tracker), manifest.csv, review.csv")
    print(f"  {new.letters_folder(r) / 'request'}/ one letter (.md) and pre-filled return (.xlsx) per council")
    return 0


def _cmd_status(args) -> int:
    from unallocated.rounds import round as rounds
    from unallocated.rounds import tracker

    r = rounds.get(args.name)
    table = tracker.load(r.tracker_path)
    print(tracker.report(table, _today(args), f"Round {r.name}: {r.label}"))
    return 0


def _cmd_record(args) -> int:
    from unallocated.rounds import round as rounds
    from unallocated.rounds import tracker

    r = rounds.get(args.name)
    if args.event == "right_of_reply_answer" and args.correction:
        from unallocated.rounds import dataset

        known = set(dataset.register(r.name)["correction_id"])
        if args.correction not in known:
            raise tracker.TrackerError(f"correction {args.correction!r} is not in {r.corrections_path}: add the council's "
                                       f"correction there first (docs/corrections_data_dictionary.md), then record the dispute")
    table = tracker.record(tracker.load(r.tracker_path), args.council, args.event, args.date, status=args.status or "",
                           held=args.held or "", exemptions=args.exemptions or "", files=args.files or "",
                           outcome=args.outcome or "", answer=args.answer or "", correction=args.correction or "",
                           note=args.note or "")
    tracker.save(table, r.tracker_path)
    row = table[(table["council_code"] == args.council) | (table["council"].str.casefold() == args.council.casefold())].iloc[0]
    print(f"{row['council']}: {args.event} on {args.date}; status {row['status']}")
    return 0


def _cmd_letters(args) -> int:
    from unallocated.rounds import dataset, letters, tracker
    from unallocated.rounds import round as rounds

    r = rounds.get(args.name)
    table = tracker.load(r.tracker_path)
    figures = None
    if args.kind == "right_of_reply":
        from unallocated import display

        figures = display.with_shown(dataset.round(r.name))
    written, skipped = letters.write_letters(args.kind, r, table, _today(args), figures=figures)
    print(f"{len(written)} {args.kind} letters written under {r.outputs / 'letters' / args.kind}; "
          f"{len(skipped)} councils need none")
    if args.verbose:
        for why in skipped:
            print(f"  {why}")
    return 0


def _cmd_simulate(args) -> int:
    from unallocated.rounds import simulated

    built = simulated.generate()
    print(f"wrote {built['folder']}/ (SIMULATED round {simulated.NAME}) and {built['truth_path']}")
    return 0


def _cmd_list(args) -> int:
    from unallocated.rounds import round as rounds

    for r in rounds.all_rounds():
        print(f"{r.name}\t{r.councils_on}\t{r.layer}\t{r.description}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("round", help="a round of the FOI request: new, status, record, letters",
                                   description="A round of the request: its councils, tracker and letters.")
    sub = parser.add_subparsers(dest="round_command", metavar="SUBCOMMAND", required=True)
    p = sub.add_parser("new", help="make a round's folder, tracker and request letters",
                       description="Make data/raw/returns/NAME/ for the councils with children's services on "
                                   "DATE (boundary changes applied): request.md, the tracker requests.csv, an empty "
                                   "manifest and review.csv; and one request letter and pre-filled return per council "
                                   "under outputs/rounds/NAME/letters/request/.")
    p.add_argument("name", help="the round's name: lower-case letters, digits and '-'")
    p.add_argument("--date", type=_date, required=True, help="YYYY-MM-DD: the day the figures are asked for")
    p.add_argument("--layer", choices=["real_return", "simulated"], default="real_return")
    p.add_argument("--description", help="the round in words")
    p.set_defaults(func=_cmd_new)
    p = sub.add_parser("status", help="who is overdue, the response rate by region, how each due date was computed")
    p.add_argument("name")
    p.add_argument("--today", type=_date, help="YYYY-MM-DD: the day to judge lateness on (default: today)")
    p.set_defaults(func=_cmd_status)
    p = sub.add_parser("record", help="record an event in the tracker (the only way a status changes)")
    p.add_argument("name")
    p.add_argument("council", help="the council's DfE code or name as in the tracker")
    p.add_argument("event", help="send, clarification_asked, clarification_given, chaser, reply, review_asked, "
                                 "review_reply, ico_complaint, withdraw, right_of_reply_sent, right_of_reply_answer")
    p.add_argument("--date", type=_date, required=True)
    for flag in ("status", "held", "exemptions", "files", "outcome", "answer", "correction", "note"):
        p.add_argument(f"--{flag}")
    p.set_defaults(func=_cmd_record)
    p = sub.add_parser("letters", help="write one kind of letter for every council whose row calls for it")
    p.add_argument("name")
    p.add_argument("kind", choices=["request", "chaser", "review", "ico", "right_of_reply"])
    p.add_argument("--today", type=_date)
    p.add_argument("--verbose", action="store_true", help="say why each other council needs none")
    p.set_defaults(func=_cmd_letters)
    p = sub.add_parser("simulate", help="rewrite the SIMULATED illustrative round 2025-simulated (seeded)")
    p.set_defaults(func=_cmd_simulate)
    p = sub.add_parser("list", help="the rounds in data/raw/returns/rounds.csv")
    p.set_defaults(func=_cmd_list)


__all__ = ["register", "UnallocatedError"]
