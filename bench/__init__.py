"""The benchmark: our build against MkDocs and Hugo on generated libraries of guides."""
