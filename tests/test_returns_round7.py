"""Traps found by the seventh unseen round (20 replies from 12 councils, written by a helper that had
not read the reader): a table's notes in words, a figure the next sentence qualifies, a reason true
of most cases only, a month-end date. A value the reader cannot tie to its words is an issue naming
its cell, with the reading proposed where one is likely; never a number with the wrong detail."""
from __future__ import annotations

from email.message import EmailMessage

from returns_helpers import numbers_of, read_every_file, rows_of, write_letter


def _email(path, body: str):
    msg = EmailMessage()
    msg["From"] = "Information Rights <foi@brighton-hove.gov.uk>"
    msg["To"] = "newsdesk@example.invalid"
    msg["Subject"] = "FOI 3902"
    msg["Date"] = "Tue, 12 Oct 2010 16:22:05 +0100"
    msg.set_content(body)
    path.write_bytes(bytes(msg))
    return path


TABLE = ("Dear Ms Okonedo,\n\nThe figures are as at 30 September 2010.\n\n"
         "                                            CP     LAC     CIN\n"
         "A  Open cases                              351     478   2,046\n"
         "B  Allocated - qualified SW                348     421   1,702\n"
         "C  Allocated - other worker                  0      44     197\n"
         "D  Not allocated                             3      13     147\n\n")


def _cells(res, category):
    return {(r[0], r[2], r[3]) for r in rows_of(res) if r[1] == category}


def test_notes_under_a_typed_table_give_a_role_where_they_fit_and_withhold_where_they_do_not(tmp_path):
    notes = ("Notes\n"
             "Row C, looked after: all 44 are young people aged 16 or 17 with a personal adviser in the "
             "Leaving Care Team.\n"
             "Row C, children in need: 131 are held by family support workers and 66 by community "
             "support workers, an unqualified role.\n"
             "Row D, looked after: 9 were children adopted in September whose files were awaiting closure; "
             "for the other four no reason is recorded.\n"
             "Row D, children in need: our system does not record why a case is unallocated.\n\n"
             "Kind regards,\nBrighton & Hove City Council\n")
    res = read_every_file(_email(tmp_path / "brighton_hove.eml", TABLE + notes))
    other = _cells(res, "allocated_other")
    # an age ('aged 16 or 17') is never how many: the one role goes to the 44 whole
    assert ("lac", "leaving_care", 44) in other
    # 131 family support workers and 66 others cannot be tied to 197; 9 awaiting closure and 'the
    # other four' cannot be tied to 13: neither stands as a count with no role or reason
    assert ("cin", "other", 197) not in other and ("cin", "other", None) in other
    unallocated = _cells(res, "unallocated")
    assert ("lac", "not_given", 13) not in unallocated and ("lac", "not_given", None) in unallocated
    assert ("cin", "not_given", 147) in unallocated  # no reason recorded: the count stands
    proposed = res.issues[res.issues["raw"].isin(["197", "13"]) & (res.issues["proposed_count"] != "")]
    assert sorted(proposed["proposed_count"].astype(int)) == [13, 197]


def test_roles_joined_by_and_share_the_case_type_after_them(tmp_path):
    notes = ("Other staff are personal advisers and social work assistants for looked after children, and "
             "family support workers for children in need.\n\nBrighton & Hove City Council\n")
    res = read_every_file(_email(tmp_path / "brighton_hove.eml", TABLE + notes))
    other = _cells(res, "allocated_other")
    assert ("cin", "family_support", 197) in other  # one role for children in need: all 197
    # two roles for the 44 looked after, not split: neither is given to all of them
    assert not {x for x in other if x[0] == "lac" and x[2] is not None}


def test_a_reason_true_of_most_cases_is_no_count_reason(tmp_path):
    notes = "The unallocated children in need cases are mainly cases awaiting closure.\n\nBrighton & Hove City Council\n"
    res = read_every_file(_email(tmp_path / "brighton_hove.eml", TABLE + notes))
    unallocated = _cells(res, "unallocated")
    assert not {x for x in unallocated if x[0] == "cin" and x[2] is not None}
    assert "mainly cases awaiting closure" in " ".join(res.issues.loc[res.issues["raw"] == "147", "problem"])


def test_a_figure_the_next_sentence_qualifies_is_proposed_not_counted(tmp_path):
    write_letter(tmp_path / "portsmouth.docx", [
        "Portsmouth City Council", "All figures are for cases open on Monday 4 October 2010.",
        "1. How many cases of each type were open?",
        "(c) Children in need: 2,214. Please note that this figure includes the children counted at (a) and "
        "(b), as our system records every child protection and looked after case as a child in need case."])
    res = read_every_file(tmp_path / "portsmouth.docx")
    assert ("cin", "total", 2214) not in numbers_of(res)
    said = res.issues[res.issues["raw"].str.contains("2,214")]
    assert "says more of it" in " ".join(said["problem"]) and "2214" in set(said["proposed_count"])


def test_the_end_of_a_month_is_its_last_day_and_a_figure_for_another_date_is_withheld(tmp_path):
    write_letter(tmp_path / "nelincs.docx", [
        "North East Lincolnshire Council", "The figures describe the position at the end of September 2010.",
        "Every child with a protection plan had a qualified social worker (93 cases).",
        "The number of looked after children at 31 March 2010 was 155."])
    res = read_every_file(tmp_path / "nelincs.docx")
    assert set(res.returns["snapshot_date"]) == {"2010-09-30"}
    assert ("lac", "total", 155) not in numbers_of(res)  # at 31 March, not the end of September


def test_a_text_letter_whose_sentences_have_commas_is_a_letter_not_a_comma_table(tmp_path):
    path = tmp_path / "windsor_maidenhead_answers.txt"
    # most lines have one comma, so a comma 'table' of two columns would split them all alike
    path.write_text(
        "ROYAL BOROUGH OF WINDSOR AND MAIDENHEAD\nFigures as at: 15/10/10\n\n"
        '1) "How many child protection, looked after and children in need cases are open?"\n'
        "Response: Child protection 71. Looked after children 104. Children in need roughly 630, an estimate.\n\n"
        '2) "Of these, how many are allocated to a qualified social worker?"\n'
        "Response: Child protection 71, i.e. all. Looked after children 91.\n\n"
        "If you are unhappy with this response, please ask for an internal review.\n",
        encoding="utf-8")
    res = read_every_file(path)
    assert set(res.issues["sheet"]) <= {"text", ""}  # read by sentence, never cut at its commas
    # each answer under its question, read or proposed exactly
    found = numbers_of(res) | {(r.proposed_case_type, r.proposed_category, int(r.proposed_count))
                               for r in res.issues.itertuples() if r.proposed_count}
    assert {("cp", "total", 71), ("lac", "total", 104), ("cin", "total", 630), ("cp", "allocated_qualified", 71),
            ("lac", "allocated_qualified", 91)} <= found


def test_a_role_cell_whose_numbers_do_not_fit_the_count_beside_it_withholds_it(tmp_path):
    from returns_helpers import write_xlsx

    path = write_xlsx(tmp_path / "nelincs.xlsx", {"Return": [
        ["Council:", "North East Lincolnshire Council"], ["Date of figures:", "30/09/2010"], [],
        ["Case type", "Total open cases", "Allocated to a qualified social worker",
         "Allocated to another worker (number)", "Role(s) of other worker", "Not allocated (number)"],
        ["Children in need", 1244, 1038, "c.160", "Family support workers (approx. 140); social work assistants (19)", 47]]})
    res = read_every_file(path)
    other = {(r[2], r[3]) for r in rows_of(res) if r[1] == "allocated_other"}
    assert other == {("other", None)}  # 'c.160' is no role's whole count
    assert "social work assistants (19)" in " ".join(res.issues.loc[res.issues["cell"] == "D5", "problem"])


def _by_area(tmp_path, total_label="Surrey total", cin_total=None):
    head = ["Area", "Open cases", "Qualified social worker", "Social work assistant", "16+ personal adviser",
            "Not allocated: held on duty", "Not allocated: transfer between areas", "Not allocated: other (see Notes)"]
    areas = [["North East", 813, 700, 25, 0, 35, 12, 41], ["North West", 594, 500, 19, 0, 29, 11, 35],
             ["South East", 720, 610, 20, 0, 32, 10, 48]]
    total = [total_label] + [sum(r[k] for r in areas) for k in range(1, 8)]
    if cin_total is not None:
        total[1] = cin_total
    from returns_helpers import write_xlsx

    return read_every_file(write_xlsx(tmp_path / "surrey.xlsx", {"CIN": [
        ["Surrey County Council - open children in need cases by area"], ["Position at", "30/09/2010"], [],
        head, *areas, total]}))


def test_area_rows_that_add_up_to_the_councils_total_row_are_its_breakdown(tmp_path):
    res = _by_area(tmp_path)
    # the total row is the council's figure ('Surrey total': its name is who answered); the areas
    # that add up to it, column by column, are its parts, never counted beside it
    assert rows_of(res, "case_type", "category", "detail", "count") == {
        ("cin", "total", "", 2127), ("cin", "allocated_qualified", "", 1810), ("cin", "allocated_other", "assistant", 64),
        ("cin", "allocated_other", "leaving_care", 0), ("cin", "unallocated", "duty_team", 96),
        ("cin", "unallocated", "in_transit", 33), ("cin", "unallocated", "not_given", 124)}
    assert "add up, column by column, to row 8" in " ".join(res.issues["problem"])


def test_area_rows_that_do_not_add_up_to_the_total_row_leave_every_row_withheld(tmp_path):
    res = _by_area(tmp_path, cin_total=2130)  # the total row is 3 more than its areas
    assert not numbers_of(res)


def test_a_sub_total_row_is_no_councils_total(tmp_path):
    res = _by_area(tmp_path, total_label="Sub-total")
    assert not numbers_of(res)


def test_including_people_within_the_figures_own_category_is_no_overlap(tmp_path):
    from returns_helpers import write_xlsx

    res = read_every_file(write_xlsx(tmp_path / "bedford.xlsx", {"FOI response": [
        ["Bedford Borough Council"], ["Allocation at 30/09/2010", "CP", "LAC", "Other CIN"],
        ["Qualified social worker (incl. agency and newly qualified)", 121, 152, 649]]}))
    assert {("cp", "allocated_qualified", 121), ("lac", "allocated_qualified", 152)} <= numbers_of(res)
    assert set(res.returns["snapshot_date"]) == {"2010-09-30"}  # 'Allocation at' heads the table


def test_a_date_given_for_comparison_only_is_not_the_snapshot(tmp_path):
    write_letter(tmp_path / "bedford.docx", [
        "Bedford Borough Council", "Figures requested are at 30/09/2010. Census figures at 31/03/2010 are shown "
        "for comparison only.", "At 30 September 2010 there were 124 children subject to a child protection plan."])
    res = read_every_file(tmp_path / "bedford.docx")
    assert set(res.returns["snapshot_date"]) <= {"2010-09-30"}


def test_a_figure_with_its_share_in_brackets_is_the_figure_and_roles_after_the_share_split_it(tmp_path):
    from returns_helpers import write_word_table

    write_word_table(tmp_path / "bracknell.docx", "Bracknell Forest Council: the position on 1 October 2010", [
        ["Case type", "Open cases", "Qualified social worker", "Other worker (role)", "Not allocated"],
        ["Child protection", "72", "72 (100%)", "0", "0"],
        ["Looked after", "89", "75 (84%)", "14 (16%): 11 personal advisers, 3 social work assistants", "0"]])
    res = read_every_file(tmp_path / "bracknell.docx")
    assert rows_of(res, "case_type", "category", "detail", "count") >= {
        ("cp", "allocated_qualified", "", 72), ("lac", "allocated_qualified", "", 75),
        ("lac", "allocated_other", "leaving_care", 11), ("lac", "allocated_other", "assistant", 3)}
    assert not any("%" in str(n) for n in res.returns["count"])


def test_of_which_rows_under_allocated_to_other_worker_are_its_parts_never_added_to_it(tmp_path):
    from returns_helpers import write_xlsx

    res = read_every_file(write_xlsx(tmp_path / "wiltshire.xlsx", {"Allocation": [
        ["Wiltshire Council - allocation of open cases"], ["Data as at:", "01/10/2010"],
        [None, "CP", "LAC", "CIN"],
        ["Allocated to other worker", 0, 31, 249],
        ["   of which: social work assistant", 0, 7, 41],
        ["   of which: family support worker", 0, 0, 208],
        ["   of which: personal adviser (16+)", 0, 24, 0],
        ["Not allocated", 4, 5, 73],
        ["   of which: awaiting closure", 0, 5, 12],
        ["   of which: transferring between teams", 4, 0, 3],
        ["   of which: no reason recorded", 0, 0, 58]]}))
    other = {(r[0], r[2], r[3]) for r in rows_of(res) if r[1] == "allocated_other"}
    assert ("lac", "other", 31) not in other and ("lac", "leaving_care", 24) in other
    assert sum(r[2] for r in other if r[0] == "cin") == 249  # never 249 + its parts
    unallocated = {(r[0], r[2], r[3]) for r in rows_of(res) if r[1] == "unallocated"}
    assert ("cp", "in_transit", 4) in unallocated  # 'transferring between teams' is a reason, not a team


def test_a_role_written_after_a_figure_names_that_figure_never_the_next_ones_in_its_row(tmp_path):
    from returns_helpers import write_xlsx

    res = read_every_file(write_xlsx(tmp_path / "luton.xlsx", {"Return": [
        ["Luton Borough Council, 30 September 2010"], [],
        ["Case type", "Q1", "Q2", "Q3a", "Q3b", "Q4a", "Q4b"],
        ["Child protection", 214, 214],
        ["Looked after children", 352, 319, 27, "Leaving care personal advisers", 6, "Awaiting closure"],
        ["Total", 566, 533, 27, None, 6]]}))
    # columns headed only by question numbers: nothing says what 6 is (the role belongs to the 27)
    assert not {r for r in rows_of(res) if r[3] == 6 and r[1] == "allocated_other"}


def test_a_blank_cell_the_reply_says_means_nil_is_proposed_as_0_never_counted(tmp_path):
    from returns_helpers import write_xlsx

    res = read_every_file(write_xlsx(tmp_path / "sefton.xlsx", {"Pivot": [
        ["Sefton Council - open cases at 30/09/2010 by role of allocated worker"], [],
        ["Row Labels", "CIN", "CP", "LAC"],
        ["Family Support Worker", 187, None, None],
        ["Social Work Assistant", 45, None, 6], [],
        ["A blank cell means there were no cases."]]}))
    assert not {r for r in numbers_of(res) if r[2] == 0}  # never a 0 in the table
    blanks = res.issues[res.issues["problem"].str.startswith("a blank cell, which the reply says means none")]
    assert set(blanks["cell"]) == {"C4", "D4", "C5"} and set(blanks["proposed_count"]) == {"0"}


def test_a_numbered_line_naming_a_category_heads_the_answers_under_it(tmp_path):
    write_letter(tmp_path / "lancashire.docx", [
        "Lancashire County Council", "All figures are for cases open on 30 September 2010.",
        "1. Number of open cases", "(iii) Children in need: 6,210",
        "2. Of these, the number allocated to a qualified social worker", "(iii) Children in need: 5,036"])
    res = read_every_file(tmp_path / "lancashire.docx")
    # 5,036 answers question 2 (qualified), never the total question 1 asked
    assert ("cin", "total", 5036) not in numbers_of(res)
    assert "5036" in set(res.issues.loc[res.issues["proposed_category"] == "allocated_qualified", "proposed_count"])


def test_rows_of_roles_and_reasons_under_a_table_give_each_column_its_own(tmp_path):
    from returns_helpers import write_xlsx

    res = read_every_file(write_xlsx(tmp_path / "bradford.xlsx", {"Allocation": [
        ["Bradford Council - open cases by allocation, 30/09/2010"], [],
        [None, "Child protection", "Looked after", "Children in need"],
        ["Open cases", 402, 803, 3050], ["Allocated to a qualified social worker", 396, 733, 2880],
        ["Allocated to another worker", 0, 61, 88], ["Not allocated", 6, 9, 82], [],
        ["Role of other worker", "n/a", "Leaving care personal adviser", "Family support worker"],
        ["Reason not allocated", "Transferring between teams", "Awaiting closure", "Awaiting allocation (duty team)"]]}))
    got = rows_of(res, "case_type", "category", "detail", "count")
    assert {("lac", "allocated_other", "leaving_care", 61), ("cin", "allocated_other", "family_support", 88),
            ("cp", "unallocated", "in_transit", 6), ("lac", "unallocated", "awaiting_closure", 9),
            ("cin", "unallocated", "duty_team", 82)} <= got


def test_a_second_table_breaking_down_the_firsts_columns_replaces_them_never_adds_to_them(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Nottinghamshire County Council: weekly case snapshot of Friday 1 October 2010")
    for rows in ([["Case type", "Open cases", "Qualified social worker", "Other staff", "Not allocated"],
                  ["Child in need (other)", "3,912", "3,280", "455", "177"]],
                 [["", "Child in need (other)"], ["Social work assistant", "97"], ["Family support worker", "358"],
                  ["Not allocated: awaiting closure", "64"], ["Not allocated: held on duty", "113"]]):
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    doc.save(tmp_path / "notts.docx")
    res = read_every_file(tmp_path / "notts.docx")
    assert rows_of(res, "case_type", "category", "detail", "count") == {
        ("cin", "total", "", 3912), ("cin", "allocated_qualified", "", 3280),
        ("cin", "allocated_other", "assistant", 97), ("cin", "allocated_other", "family_support", 358),
        ("cin", "unallocated", "awaiting_closure", 64), ("cin", "unallocated", "duty_team", 113)}
