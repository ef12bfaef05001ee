"""Analysis: metrics, brokerage, comparisons, changes and agreements due, from one snapshot."""
