"""Excel add-in (xlwings glue only). Filled in by the add-in issue."""
