"""The pages an editor opens: one report per council and the front page that links them all.

    names       what each page is called (the national notebooks, a council report's file name)
    profile     a council's report: its figures under each definition, with official context
    frontpage   outputs/index.html: the headline, the national pages, every council
"""
