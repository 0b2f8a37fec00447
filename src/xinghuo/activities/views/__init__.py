"""Pages of activities: the console's (`console`) around one `run_step` for every posted step (`common`)."""
