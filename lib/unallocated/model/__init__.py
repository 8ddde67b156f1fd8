"""What the investigation means by its words: the allocation categories, the competing
definitions of "unallocated", and the corrections register applied to the returns.

    categories    case types, categories, details and the definitions over them
    corrections   the register of restatements and how it is applied
"""
