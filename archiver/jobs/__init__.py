"""What a command runs, start to end: the jobs that combine scan, fetch, store and evidence."""
