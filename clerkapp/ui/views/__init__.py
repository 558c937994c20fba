"""The review workspace's widgets: queue, filter bar, detail pane, legend, first-run page."""
