"""Reconciling the DOJ research file with the court's own records (issue 16).

`service.reconcile` links and classifies, `decisions` holds the clerk's confirmations and
rejections, `output` writes the reconcile file. Name and case-number comparison live in
`clerkapp.domain.names` and `clerkapp.domain.casenumbers`."""
