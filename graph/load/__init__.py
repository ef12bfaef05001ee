"""Loading: seed files read and validated, then written all-or-nothing."""
