"""A round of the FOI request: who was asked, in what words, what came back, and how one round
compares with another.

    round       the register of rounds (`data/raw/returns/rounds.csv`): a round's date, folder, wording
    dataset     a round's returns read once and cached (`dataset.round(NAME)`), and the timelines
    deadlines   statutory due dates: 20 working days, the bank holidays of every part of the UK
    tracker     requests.csv: one row per council asked, its status and what happened, with dates
    letters     the request, chaser, internal review, ICO complaint and right-of-reply letters
    new         `round new`: a round's folder, tracker and letters for the councils of a date
    cli         the `round` command (new, status, record, letters, list)
"""
