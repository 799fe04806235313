"""Analytics over the monitoring's Parquet snapshot: indicators, suppression, comparisons."""
